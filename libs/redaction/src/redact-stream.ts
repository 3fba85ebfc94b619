import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { WINDOW_CONTEXT } from './engine/pattern-scanner';
import type { RedactionFinding } from './redaction.types';

/**
 * Emits redacted text while holding back the last `holdBack` characters: a
 * match of at most `holdBack - 2 * WINDOW_CONTEXT` characters that starts in the
 * emitted part therefore ends inside the buffer and is found whole. The cut
 * never falls inside a finding, and `WINDOW_CONTEXT` characters of already
 * emitted text stay as context so boundaries are judged as in one pass.
 * Scanning cost: each character is scanned about twice (buffer ≥ 2 × holdBack).
 */
export class RedactStream extends Transform {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  /** Characters at the start of `buffer` that were already emitted (context only). */
  private emitted = 0;

  constructor(
    private readonly findSecrets: (text: string) => RedactionFinding[],
    private readonly holdBack: number,
  ) {
    super({ decodeStrings: true });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.buffer += this.decoder.write(chunk);
      if (this.buffer.length - this.emitted >= 2 * this.holdBack) this.release(false);
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
    const findings = this.findSecrets(text);
    let cut = final ? text.length : text.length - this.holdBack;
    for (const finding of findings) if (finding.start < cut && finding.end > cut) cut = finding.start;
    if (cut <= this.emitted) return;
    // A finding that reaches back into already emitted context is masked from the context edge on.
    const relevant = findings.filter((f) => f.end > this.emitted && f.start < cut);
    let out = '';
    let cursor = this.emitted;
    for (const finding of relevant) {
      out += text.slice(cursor, Math.max(finding.start, cursor)) + `[REDACTED:${finding.pattern}]`;
      cursor = finding.end;
    }
    out += text.slice(cursor, cut);
    if (out.length > 0) this.push(out);
    const keepFrom = Math.max(0, cut - WINDOW_CONTEXT);
    this.buffer = text.slice(keepFrom);
    this.emitted = cut - keepFrom;
  }
}
