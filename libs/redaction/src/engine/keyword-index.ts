import type { CompiledPattern } from './compiled-pattern';

const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/** One keyword occurrence and the patterns that may match around it. */
export interface KeywordHit {
  at: number;
  length: number;
  patterns: readonly number[];
}

/**
 * The prefilter: every keyword of every pattern in two alternations (exact
 * and case-insensitive; two plain passes are ~3x faster in V8 than one
 * case-insensitive pass over all). A hit triggers every pattern whose keyword
 * is contained in the matched keyword, because an alternation reports only
 * one alternative per position.
 */
export class KeywordIndex {
  private readonly exact?: RegExp;
  private readonly insensitive?: RegExp;
  private readonly exactTriggers = new Map<string, number[]>();
  private readonly insensitiveTriggers = new Map<string, number[]>();

  constructor(patterns: readonly CompiledPattern[]) {
    const exact = new Map<string, Set<number>>();
    const insensitive = new Map<string, Set<number>>();
    patterns.forEach((pattern, index) => {
      const table = pattern.caseInsensitive ? insensitive : exact;
      for (const raw of pattern.keywords) {
        const keyword = pattern.caseInsensitive ? raw.toLowerCase() : raw;
        if (!table.has(keyword)) table.set(keyword, new Set());
        table.get(keyword)!.add(index);
      }
    });
    this.exact = KeywordIndex.build(exact, this.exactTriggers, '');
    this.insensitive = KeywordIndex.build(insensitive, this.insensitiveTriggers, 'i');
  }

  private static build(table: Map<string, Set<number>>, triggers: Map<string, number[]>, flags: string): RegExp | undefined {
    if (table.size === 0) return undefined;
    const keywords = [...table.keys()].sort((a, b) => b.length - a.length);
    for (const keyword of keywords) {
      const set = new Set<number>();
      for (const inner of keywords) if (keyword.includes(inner)) for (const index of table.get(inner)!) set.add(index);
      triggers.set(keyword, [...set]);
    }
    return new RegExp(keywords.map(escape).join('|'), `g${flags}`);
  }

  /** Calls `onHit` for every keyword occurrence, overlapping ones included, in text order per alternation. */
  forEachHit(text: string, onHit: (hit: KeywordHit) => void): void {
    this.run(this.exact, this.exactTriggers, text, false, onHit);
    this.run(this.insensitive, this.insensitiveTriggers, text, true, onHit);
  }

  private run(regex: RegExp | undefined, triggers: Map<string, number[]>, text: string, fold: boolean, onHit: (hit: KeywordHit) => void) {
    if (!regex) return;
    regex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(text)) !== null) {
      const keyword = fold ? match[0].toLowerCase() : match[0];
      onHit({ at: match.index, length: match[0].length, patterns: triggers.get(keyword) ?? [] });
      regex.lastIndex = match.index + 1;
    }
  }
}
