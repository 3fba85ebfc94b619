import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import type { RedactionFinding } from './redaction.types';

/**
 * The longest secret `createRedactStream` is guaranteed never to let through,
 * wherever the input is cut into chunks: a match (or known value, in any
 * printed form) of at most this many characters (UTF-16 code units). 16 KiB
 * is above every built-in pattern's longest match (a PEM private key of up to
 * 16,000 body characters, 16,120 in all); a custom pattern with a larger
 * `maxLength`, or a longer `secrets` value, raises the limit of the streams
 * that need it, and `maxSecretLength` lowers it for one stream.
 *
 * Beyond the limit the guarantee is void. A pattern that recognises a secret
 * from its start (a prefixed token) still holds it back, however long; one
 * that recognises it only by what follows (the `@` after a URL password, the
 * closing quote of a quoted value, the second part of a JWT) can release the
 * beginning of a longer secret unmasked before the rest arrives.
 */
export const STREAM_MAX_SECRET_LENGTH = 16 * 1024;

/** What the stream asks of the Redactor: findings in a buffer, and how much to hold back. */
export interface StreamScanner {
  find(text: string): RedactionFinding[];
  /** Characters to keep unreleased at the end of the buffer (may grow as values are learnt). */
  readonly holdBack: number;
  /**
   * Characters of released text kept before the buffer as context: at least WINDOW_CONTEXT (lookbehinds), and
   * as far back as a detector looks for the start of what it reads (a Key Vault secret's JSON object).
   */
  readonly context: number;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Emits redacted text while holding back the last `holdBack` characters
 * (the secret limit plus 2 × WINDOW_CONTEXT): a match of at most the limit
 * that starts in the emitted part therefore ends inside the buffer and is
 * found whole. The cut never falls inside a finding or between the two
 * halves of a surrogate pair, and `context` characters of already emitted
 * text stay in the buffer, so lookbehinds at the edge, and a detector looking
 * back for the object around a match, see what they would see in one pass. Input is bytes (UTF-8, split anywhere) or
 * strings; output is UTF-8. Each character is scanned about twice (a buffer
 * is released once it holds 2 × holdBack new characters).
 */
export class RedactStream extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  /** Characters at the start of `buffer` that were already emitted (context only). */
  private emitted = 0;

  constructor(private readonly scanner: StreamScanner) {
    super({ decodeStrings: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.buffer += this.decoder.write(chunk);
      if (this.buffer.length - this.emitted >= 2 * this.scanner.holdBack) this.release(false);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.buffer += this.decoder.end();
      this.release(true);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  private release(final: boolean): void {
    const text = this.buffer;
    const findings = this.scanner.find(text);
    let cut = final ? text.length : text.length - this.scanner.holdBack;
    for (const finding of findings) if (finding.start < cut && finding.end > cut) cut = finding.start;
    if (cut > 0 && cut < text.length && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
    if (cut <= this.emitted) return;
    // A finding that reaches back into already emitted context (only possible beyond the limit) is masked from the context edge on.
    let out = '';
    let cursor = this.emitted;
    for (const finding of findings) {
      if (finding.end <= this.emitted || finding.start >= cut) continue;
      out += text.slice(cursor, Math.max(finding.start, cursor)) + `[REDACTED:${finding.pattern}]`;
      cursor = finding.end;
    }
    out += text.slice(cursor, cut);
    if (out.length > 0) this.push(out);
    const keepFrom = Math.max(0, cut - this.scanner.context);
    this.buffer = text.slice(keepFrom);
    this.emitted = cut - keepFrom;
  }
}
