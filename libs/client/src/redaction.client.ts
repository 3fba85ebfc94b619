import type { CallOptions, SafetyClientOptions } from './client.options';
import { SafetyHttp } from './http/safety-http';
import type { RedactRequest, RedactResult } from './client.types';

export interface RedactOptions extends CallOptions {
  /** Names of environment variables whose values must disappear (`DATABASE_URL`): where assigned and wherever the value recurs. */
  envVars?: string[];
  /** Literal secret values the caller knows (e.g. what it injected into a sandbox), masked with their encoded variants. */
  secrets?: string[];
}

export type { RedactResult };

/** The Redactor over HTTP (`POST /api/v1/safety/redact`): scrub secrets from text before it is logged, stored or returned. */
export class RedactionClient {
  private readonly http: SafetyHttp;

  constructor(baseUrl?: string, options?: SafetyClientOptions) {
    this.http = new SafetyHttp(baseUrl, options);
  }

  /**
   * `{ redacted, findings, count }`: each secret becomes `[REDACTED:<PATTERN_NAME>]`; findings give
   * offsets into the input, never the secret. Retried on transient failures: redaction changes nothing.
   */
  redact(text: string, options: RedactOptions = {}): Promise<RedactResult> {
    const body: RedactRequest = { text, env_vars: options.envVars, secrets: options.secrets };
    return this.http.send(
      'POST /api/v1/safety/redact',
      (init) => this.http.api.POST('/api/v1/safety/redact', { body, ...init }),
      { retrySafe: true, call: options },
    );
  }

  /** Just the redacted text. */
  async redactText(text: string, options?: RedactOptions): Promise<string> {
    return (await this.redact(text, options)).redacted;
  }
}
