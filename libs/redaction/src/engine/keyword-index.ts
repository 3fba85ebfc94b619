/** What the index needs of a detector: its keywords and whether they match in any case. */
export interface KeywordSource {
  readonly keywords: readonly string[];
  readonly caseInsensitive: boolean;
}

/** ASCII with A–Z folded to a–z; keywords are ASCII, so other characters never start one. */
const FOLD = new Uint8Array(128).map((_, code) => (code >= 65 && code <= 90 ? code + 32 : code));
/**
 * The filters fold with `| 0x20`: A–Z become a–z like FOLD, and a few other
 * pairs collide (`^` and `~`, `_` and DEL); a collision only lets a position
 * through to the exact comparison, it never hides a keyword.
 */
const LOOSE = 0x20;

interface KeywordEntry {
  keyword: string;
  /** Character codes to compare: folded for case-insensitive keywords, as written otherwise. */
  codes: Uint8Array;
  insensitive: boolean;
  /** Patterns with a keyword (same case mode) that is a prefix of this one: they may match from here. */
  patterns: readonly number[];
}

/**
 * The prefilter. One pass over the text reads each pair of characters and
 * looks it up in a table of keyword openings (case folded); only where a
 * keyword can open are the few keywords with that opening compared. In V8
 * this is several times faster than one regex alternation of ~150 keywords,
 * which tests each alternative at every position. Every position where some
 * keyword starts is reported, once per case mode, with the longest keyword
 * there; the hit triggers every pattern owning a keyword that is a prefix of
 * it (shorter keywords at the same position).
 */
export class KeywordIndex {
  /** Bigram (two folded 7-bit codes) → 1 + index into `buckets`, 0 for none. */
  private readonly slots = new Uint16Array(128 * 128);
  /** One bit per trigram (three folded codes; 0 past the end) that opens some keyword: a second, sharper filter. */
  private readonly trigrams = new Uint8Array((128 * 128 * 128) / 8);
  private readonly buckets: KeywordEntry[][] = [];

  constructor(patterns: readonly KeywordSource[]) {
    const tables = { exact: new Map<string, Set<number>>(), insensitive: new Map<string, Set<number>>() };
    patterns.forEach((pattern, index) => {
      const table = pattern.caseInsensitive ? tables.insensitive : tables.exact;
      for (const raw of pattern.keywords) {
        const keyword = pattern.caseInsensitive ? raw.toLowerCase() : raw;
        if (keyword.length < 2 || [...keyword].some((ch) => ch.charCodeAt(0) >= 128)) {
          throw new Error(`Keyword ${JSON.stringify(raw)} must be at least 2 ASCII characters`);
        }
        if (!table.has(keyword)) table.set(keyword, new Set());
        table.get(keyword)!.add(index);
      }
    });
    for (const insensitive of [false, true]) {
      const table = insensitive ? tables.insensitive : tables.exact;
      for (const [keyword] of table) {
        const owners = new Set<number>();
        for (const [prefix, indexes] of table)
          if (keyword.startsWith(prefix)) for (const index of indexes) owners.add(index);
        const codes = Uint8Array.from(keyword, (ch) => ch.charCodeAt(0));
        this.markTrigrams(codes[0] | LOOSE, codes[1] | LOOSE, codes.length > 2 ? codes[2] | LOOSE : undefined);
        this.bucketFor(codes[0] | LOOSE, codes[1] | LOOSE).push({
          keyword,
          codes,
          insensitive,
          patterns: [...owners].sort((a, b) => a - b),
        });
      }
    }
    // Longest first, so the first keyword that matches in a case mode is the longest there.
    for (const bucket of this.buckets) bucket.sort((a, b) => b.keyword.length - a.keyword.length);
  }

  private markTrigrams(first: number, second: number, third: number | undefined): void {
    for (let code = 0; code < 128; code++) {
      if (third !== undefined && (code | LOOSE) !== third) continue;
      const trigram = (first << 14) | (second << 7) | (code | LOOSE);
      this.trigrams[trigram >> 3] |= 1 << (trigram & 7);
    }
  }

  private bucketFor(first: number, second: number): KeywordEntry[] {
    const slot = (first << 7) | second;
    if (this.slots[slot] === 0) {
      this.buckets.push([]);
      this.slots[slot] = this.buckets.length;
    }
    return this.buckets[this.slots[slot] - 1];
  }

  /** Calls `onHit` in text order for every position where a keyword starts (at most once per case mode). */
  forEachHit(text: string, onHit: (at: number, length: number, patterns: readonly number[]) => void): void {
    const { slots, buckets, trigrams } = this;
    const last = text.length - 1;
    let first = 0;
    let second = text.length > 0 ? text.charCodeAt(0) : 0;
    let third = text.length > 1 ? text.charCodeAt(1) : 0;
    for (let at = 0; at < last; at++) {
      first = second;
      second = third;
      third = at + 2 < text.length ? text.charCodeAt(at + 2) : 0;
      if ((first | second) >= 128) continue;
      const bigram = ((first | LOOSE) << 7) | (second | LOOSE);
      const trigram = (bigram << 7) | (third < 128 ? third | LOOSE : LOOSE);
      if ((trigrams[trigram >> 3] & (1 << (trigram & 7))) === 0) continue;
      const slot = slots[bigram];
      let exactSeen = false;
      let insensitiveSeen = false;
      for (const entry of buckets[slot - 1]) {
        if (entry.insensitive ? insensitiveSeen : exactSeen) continue;
        if (!KeywordIndex.startsAt(text, at, entry)) continue;
        onHit(at, entry.codes.length, entry.patterns);
        if (entry.insensitive) insensitiveSeen = true;
        else exactSeen = true;
      }
    }
  }

  private static startsAt(text: string, at: number, entry: KeywordEntry): boolean {
    const { codes, insensitive } = entry;
    if (at + codes.length > text.length) return false;
    for (let j = 0; j < codes.length; j++) {
      const code = text.charCodeAt(at + j);
      if (code >= 128 || (insensitive ? FOLD[code] : code) !== codes[j]) return false;
    }
    return true;
  }
}
