import type { Transform } from 'node:stream';

/**
 * Removes secrets from command output before it leaves the service, as the
 * output arrives: raw bytes in, redacted UTF-8 text out, with a secret split
 * across chunks still caught. `secrets` are literal values masked wherever
 * they appear (and in their encoded forms). `RedactionService` from
 * @app/redaction satisfies it as is.
 */
export abstract class SandboxRedactor {
  abstract createRedactStream(options?: { secrets?: readonly string[] }): Transform;
  /** Longest secret (characters) the streams are guaranteed to catch however the output is chunked. */
  abstract readonly maxSecretLength: number;
}
