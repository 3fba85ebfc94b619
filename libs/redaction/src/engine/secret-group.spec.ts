import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_PATTERNS } from '../patterns/catalogue';
import { syntheticLog } from '../testing';
import { secretGroupInLookaround, secretGroupSpan } from './secret-group';

/** The reference: the `secret` group's indices as V8 reports them with the `d` flag. */
function indicesSpan(source: string, flags: string, text: string, at: number): [number, number] {
  const regex = new RegExp(source, `yd${flags}`);
  regex.lastIndex = at;
  const match = regex.exec(text)!;
  const span = match.indices!.groups?.secret;
  return span ? [span[0], span[1]] : [match.index, match.index + match[0].length];
}

/** Every match of `source` in `text`, located both ways. */
function bothWays(
  source: string,
  flags: string,
  text: string,
): Array<{ fast: [number, number]; reference: [number, number] }> {
  const regex = new RegExp(source, `g${flags}`);
  const withIndices = new RegExp(source, `yd${flags}`);
  const inMatch = !secretGroupInLookaround(source);
  const results = [];
  for (const match of text.matchAll(regex)) {
    results.push({
      fast: secretGroupSpan(text, match, withIndices, inMatch),
      reference: indicesSpan(source, flags, text, match.index),
    });
  }
  return results;
}

describe('secretGroupInLookaround', () => {
  it.each([
    ['password=(?<secret>\\w+)', false],
    ['(?<![a-z])key: (?<secret>[a-z]+)(?=\\s)', false],
    ['(?<=(?<secret>abc))d', true],
    ['x(?=y(?<secret>z))', true],
    ['(?!(?<secret>a))b', true],
    ['(?<!(?:q|(?<secret>r)))s', true],
    // A parenthesis that is escaped or inside a class opens no group.
    ['[(?=]\\((?<secret>a)\\)', false],
    ['[\\](?=](?<secret>a)', false],
    // Unbalanced: cannot tell, so the exact (indices) path is taken.
    ['(?<secret>a', true],
    ['a)(?<secret>b)', true],
  ])('%s → %s', (source, expected) => {
    expect(secretGroupInLookaround(source)).toBe(expected);
  });

  it('holds for no built-in pattern (each takes the fast path)', () => {
    expect(BUILTIN_PATTERNS.filter((p) => secretGroupInLookaround(p.regex.source)).map((p) => p.name)).toEqual([]);
  });
});

describe('secretGroupSpan gives the span the d flag gives', () => {
  it('when the secret occurs once in the match, more than once, not at all, or only in a lookaround', () => {
    const cases: Array<[string, string]> = [
      ['password=(?<secret>\\w+)', 'x password=hunter2 y'],
      // The value repeats the key: the first occurrence of the secret is not the group.
      ['(?<key>\\w+)=(?<secret>\\w+)', 'pass=pass pwd=pwdpwd aa=a'],
      ['token (?<secret>a+)?b', 'token b token aab'],
      ['(?<=(?<secret>ab))c', 'xabc abc'],
      ['a(?=(?<secret>a))', 'aaa'],
      ['(?<secret>)x', 'xx'],
    ];
    for (const [source, text] of cases) {
      for (const { fast, reference } of bothWays(source, '', text))
        expect({ source, fast }).toEqual({ source, fast: reference });
    }
  });

  it('for every built-in pattern on every corpus line and a synthetic log', () => {
    const corpus = readFileSync(join(__dirname, '../../corpus/redaction-corpus.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { text: string }).text);
    const text = [...corpus, syntheticLog(100_000, 7, 10).text].join('\n');
    let located = 0;
    for (const pattern of BUILTIN_PATTERNS.filter((p) => p.regex.source.includes('(?<secret>'))) {
      for (const { fast, reference } of bothWays(
        pattern.regex.source,
        pattern.regex.flags.replace(/[gyd]/g, ''),
        text,
      )) {
        expect({ pattern: pattern.name, fast }).toEqual({ pattern: pattern.name, fast: reference });
        located++;
      }
    }
    expect(located).toBeGreaterThan(100);
  });

  it('on generated text full of repeats, for key=value shapes that make the secret ambiguous', () => {
    const sources = [
      '(?<key>[ab]{1,3})=(?<secret>[ab]{1,6})',
      '(?:(?<secret>[ab]+)-)+(?<tail>[ab]*)',
      '[ab]*(?<secret>a[ab]?)b*',
    ];
    fc.assert(
      fc.property(fc.stringMatching(/^[ab=-]{0,40}$/), fc.constantFrom(...sources), (text, source) => {
        for (const { fast, reference } of bothWays(source, '', text)) expect(fast).toEqual(reference);
      }),
      { numRuns: 2000 },
    );
  });
});
