import type { Candidate } from './candidate';
import type { CompiledPattern } from './compiled-pattern';
import { KeywordIndex } from './keyword-index';

/**
 * Characters of real text kept on each side of a window so that lookarounds
 * see the true neighbours; matches reaching into this margin are left to the
 * neighbouring window (or the text edge). Larger than any lookbehind we use.
 */
export const WINDOW_CONTEXT = 64;

/**
 * Runs each pattern only in windows around its keyword hits (a match must
 * contain a keyword, so it fits in [hit - maxLength, hit + maxLength]).
 * Overlapping windows of one pattern are merged, so no text is scanned twice
 * by the same pattern: total work is linear in the text for linear patterns.
 */
export class PatternScanner {
  private readonly index: KeywordIndex;
  private readonly unkeyed: number[];

  constructor(private readonly patterns: readonly CompiledPattern[]) {
    this.index = new KeywordIndex(patterns);
    this.unkeyed = patterns.flatMap((pattern, i) => (pattern.keywords.length === 0 ? [i] : []));
  }

  scan(text: string, out: Candidate[]): void {
    const windows: Array<number[] | undefined> = new Array(this.patterns.length);
    for (const i of this.unkeyed) windows[i] = [0, text.length];
    this.index.forEachHit(text, ({ at, length, patterns }) => {
      for (const i of patterns) {
        const reach = this.patterns[i].maxLength + WINDOW_CONTEXT;
        const start = Math.max(0, at - reach);
        const end = Math.min(text.length, at + length + reach);
        const list = (windows[i] ??= []);
        if (list.length > 0 && start <= list[list.length - 1]) list[list.length - 1] = Math.max(end, list[list.length - 1]);
        else list.push(start, end);
      }
    });
    windows.forEach((list, i) => {
      if (!list) return;
      for (let w = 0; w < list.length; w += 2) this.scanWindow(text, this.patterns[i], list[w], list[w + 1], out);
    });
  }

  private scanWindow(text: string, pattern: CompiledPattern, from: number, to: number, out: Candidate[]): void {
    const slice = from === 0 && to === text.length ? text : text.slice(from, to);
    const trustedStart = from === 0 ? 0 : WINDOW_CONTEXT;
    const trustedEnd = to === text.length ? slice.length : slice.length - WINDOW_CONTEXT;
    const regex = pattern.regex;
    regex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(slice)) !== null) {
      const matchEnd = match.index + match[0].length;
      if (match[0].length === 0) {
        regex.lastIndex = match.index + 1;
        continue;
      }
      if (match.index < trustedStart || matchEnd > trustedEnd) {
        regex.lastIndex = match.index + 1;
        continue;
      }
      const group = match.indices?.groups?.secret;
      const [start, groupEnd] = group ?? [match.index, matchEnd];
      let end = groupEnd;
      if (pattern.trimTrailing) while (end > start && pattern.trimTrailing.includes(slice[end - 1])) end--;
      const secret = slice.slice(start, end);
      const verdict = secret.length === 0 ? false : pattern.validate ? pattern.validate(secret, match[0]) : true;
      if (verdict === false) {
        // A rejected match must not hide a real one that starts inside it.
        regex.lastIndex = match.index + 1;
        continue;
      }
      out.push({
        name: pattern.name,
        start: from + start,
        end: from + end,
        confidence: verdict === true ? pattern.confidence : verdict,
        priority: pattern.priority,
      });
    }
  }
}
