import { finished } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import type { SandboxRedactor } from './ports/sandbox-redactor.port';
import { SandboxError } from './sandbox.errors';
import type { ExecuteOptions, ExecuteResult } from './sandbox.types';

type StreamName = 'stdout' | 'stderr';

interface RedactedStream {
  transform: Transform;
  parts: string[];
}

/**
 * One command's stdout and stderr, each piped through its own redact stream
 * as the provider produces it (`tap` is the provider's `onOutput`), so a
 * secret written in several pieces is caught whole. `apply` swaps the
 * provider's raw text for the redacted one; if redaction fails the output is
 * withheld, never returned raw.
 */
export class RedactedOutput {
  private readonly streams: Record<StreamName, RedactedStream>;
  private failure?: Error;

  constructor(redactor: SandboxRedactor, secrets: readonly string[]) {
    this.streams = { stdout: this.open(redactor, secrets), stderr: this.open(redactor, secrets) };
  }

  readonly tap: NonNullable<ExecuteOptions['onOutput']> = (stream, chunk) => {
    const { transform } = this.streams[stream];
    if (!transform.writableEnded && !transform.destroyed) transform.write(chunk);
  };

  /** The result with its output replaced by the redacted streams (ends them). */
  async apply(result: ExecuteResult): Promise<ExecuteResult> {
    const [stdout, stderr] = await Promise.all([this.close(this.streams.stdout), this.close(this.streams.stderr)]);
    if (this.failure) {
      throw new SandboxError(
        'SANDBOX_PROVIDER_FAILED',
        'The command ran, but its output could not be redacted, so it is withheld.',
      );
    }
    return { ...result, stdout, stderr };
  }

  /** Drops both streams (the command never produced a result). */
  discard(): void {
    for (const { transform } of Object.values(this.streams)) transform.destroy();
  }

  private open(redactor: SandboxRedactor, secrets: readonly string[]): RedactedStream {
    const transform = redactor.createRedactStream({ secrets });
    const stream: RedactedStream = { transform, parts: [] };
    transform.setEncoding('utf8');
    transform.on('data', (text: string) => stream.parts.push(text));
    transform.on('error', (error: Error) => (this.failure ??= error));
    return stream;
  }

  private async close(stream: RedactedStream): Promise<string> {
    if (!stream.transform.destroyed) {
      stream.transform.end();
      await finished(stream.transform).catch((error: Error) => (this.failure ??= error));
    }
    return stream.parts.join('');
  }
}
