import { finished } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import type { SandboxRedactor } from './ports/sandbox-redactor.port';
import { SandboxError } from './sandbox.errors';
import type { ExecuteOptions, ExecuteResult } from './sandbox.types';

type StreamName = 'stdout' | 'stderr';

interface RedactedStream {
  transform: Transform;
  parts: string[];
  /** Raw bytes the provider kept for this stream (what reached the redactor). */
  bytes: number;
}

/**
 * When output was cut at the cap, a secret straddling the cut arrives only in
 * part, and a part may match no pattern. So the last word of a truncated stream
 * (its trailing run of non-blank characters, at most the redactor's longest
 * supported secret) is replaced by this mark.
 */
const TRUNCATED_MARK = '[TRUNCATED]';

/**
 * One command's stdout and stderr, each piped through its own redact stream
 * as the provider produces it (`tap` is the provider's `onOutput`), so a
 * secret written in several pieces is caught whole. `apply` swaps the
 * provider's raw text for the redacted one; if redaction fails the output is
 * withheld, never returned raw.
 */
export class RedactedOutput {
  private readonly streams: Record<StreamName, RedactedStream>;
  private readonly maxSecretLength: number;
  private failure?: Error;

  constructor(redactor: SandboxRedactor, secrets: readonly string[]) {
    this.maxSecretLength = redactor.maxSecretLength;
    this.streams = { stdout: this.open(redactor, secrets), stderr: this.open(redactor, secrets) };
  }

  readonly tap: NonNullable<ExecuteOptions['onOutput']> = (stream, chunk) => {
    const target = this.streams[stream];
    target.bytes += chunk.length;
    if (!target.transform.writableEnded && !target.transform.destroyed) target.transform.write(chunk);
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
    if (!result.truncated) return { ...result, stdout, stderr };
    // The port reports truncation for the command, not per stream: the stream(s) that reached the cap kept the most bytes.
    const capped = Math.max(this.streams.stdout.bytes, this.streams.stderr.bytes);
    return {
      ...result,
      stdout: this.streams.stdout.bytes === capped ? maskCutTail(stdout, this.maxSecretLength) : stdout,
      stderr: this.streams.stderr.bytes === capped ? maskCutTail(stderr, this.maxSecretLength) : stderr,
    };
  }

  /** Drops both streams (the command never produced a result). */
  discard(): void {
    for (const { transform } of Object.values(this.streams)) transform.destroy();
  }

  private open(redactor: SandboxRedactor, secrets: readonly string[]): RedactedStream {
    const transform = redactor.createRedactStream({ secrets });
    const stream: RedactedStream = { transform, parts: [], bytes: 0 };
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

/**
 * Replaces the possibly cut last word of truncated output (kept whole when it is already a redaction marker).
 * `[A-Z0-9_]+` covers every marker the redactor writes: built-in and custom pattern names are UPPER_SNAKE
 * (validated in @app/redaction). A marker it did not recognise would only be masked as well, never leak.
 */
function maskCutTail(text: string, maxChars: number): string {
  let start = text.length;
  while (start > 0 && text.length - start < maxChars && !/\s/.test(text[start - 1])) start--;
  const tail = text.slice(start);
  if (tail === '' || /\[REDACTED:[A-Z0-9_]+\]$/.test(tail)) return text + TRUNCATED_MARK;
  return text.slice(0, start) + TRUNCATED_MARK;
}
