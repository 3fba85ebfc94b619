import fc from 'fast-check';
import { KeywordIndex, type KeywordSource } from './keyword-index';

/** The index's contract, written the slow way: at each position, the longest keyword of each case mode. */
function naiveHits(sources: readonly KeywordSource[], text: string): Array<[number, number, number[]]> {
  const hits: Array<[number, number, number[]]> = [];
  for (let at = 0; at < text.length; at++) {
    const found: Array<[number, number[]]> = [];
    for (const insensitive of [false, true]) {
      const owned = new Map<string, number[]>();
      sources.forEach((source, index) => {
        if (source.caseInsensitive !== insensitive) return;
        for (const raw of source.keywords) {
          const keyword = insensitive ? raw.toLowerCase() : raw;
          owned.set(keyword, [...(owned.get(keyword) ?? []), index]);
        }
      });
      const here = text.slice(at);
      const matching = [...owned.keys()].filter((keyword) =>
        insensitive
          ? here.slice(0, keyword.length).replace(/[A-Z]/g, (ch) => ch.toLowerCase()) === keyword
          : here.startsWith(keyword),
      );
      if (matching.length === 0) continue;
      const longest = matching.reduce((a, b) => (b.length > a.length ? b : a));
      const patterns = new Set<number>();
      for (const keyword of matching) for (const index of owned.get(keyword)!) patterns.add(index);
      found.push([longest.length, [...patterns].sort((a, b) => a - b)]);
    }
    found.sort((a, b) => b[0] - a[0]);
    for (const [length, patterns] of found) hits.push([at, length, patterns]);
  }
  return hits;
}

describe('KeywordIndex', () => {
  // \u0170 and \u0173 have the low bytes of `p` and `s`: the index reads the text as Latin-1 bytes, and such a
  // character may only let a position through to the trie walk, never make a hit.
  const alphabet = fc.constantFrom(...'pasSwordPAtokn_:= -\u00e9\u0170\u0173'.split(''));
  const keyword = fc.string({ unit: fc.constantFrom(...'pasSwordPAtokn_'.split('')), minLength: 2, maxLength: 8 });
  const sources = fc.array(
    fc.record({ keywords: fc.array(keyword, { minLength: 1, maxLength: 4 }), caseInsensitive: fc.boolean() }),
    { minLength: 1, maxLength: 5 },
  );

  it('reports what a naive search finds: every position, the longest keyword per case mode, every owner of a prefix', () => {
    fc.assert(
      fc.property(sources, fc.string({ unit: alphabet, maxLength: 60 }), (patterns, text) => {
        const hits: Array<[number, number, number[]]> = [];
        new KeywordIndex(patterns).forEachHit(text, (at, length, owners) => hits.push([at, length, [...owners]]));
        expect(hits).toEqual(naiveHits(patterns, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds keywords that share a prefix in either case mode at the same position', () => {
    const index = new KeywordIndex([
      { keywords: ['pass', 'password'], caseInsensitive: true },
      { keywords: ['PASSWD'], caseInsensitive: false },
    ]);
    const hits: Array<[number, number, readonly number[]]> = [];
    index.forEachHit('x PASSWD Password pass', (at, length, owners) => hits.push([at, length, owners]));
    expect(hits).toEqual([
      [2, 6, [1]],
      [2, 4, [0]],
      [9, 8, [0]],
      [18, 4, [0]],
    ]);
  });
});
