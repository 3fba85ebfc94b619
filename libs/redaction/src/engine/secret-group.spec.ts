import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_PATTERNS } from '../patterns/catalogue';
import { syntheticLog } from '../testing';
import { secretGroupSpan, secretPlacement } from './secret-group';

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
  const placement = secretPlacement(source);
  const results = [];
  for (const match of text.matchAll(regex)) {
    results.push({
      fast: secretGroupSpan(text, match, withIndices, placement),
      reference: indicesSpan(source, flags, text, match.index),
    });
  }
  return results;
}

describe('secretPlacement', () => {
  it.each([
    ['password=(?<secret>\\w+)', 'ends-match'],
    ['(?<![a-z])key: (?<secret>[a-z]+)(?=\\s)(?![0-9])', 'ends-match'],
    ['(?:a|b)=(?<secret>(?<=")[^"]+(?=")|[^\\s]+)', 'ends-match'],
    ['[(|]=(?<secret>x)', 'ends-match'],
    // Something consuming, quantified or alternative after the group: it lies within the match.
    ['//u:(?<secret>[^@]+)@host', 'in-match'],
    ['k=(?<secret>x)?', 'in-match'],
    ['k=(?<secret>x)(?=y)+', 'in-match'],
    ['k=(?<secret>x)$', 'in-match'],
    ['a|k=(?<secret>x)', 'in-match'],
    ['(?:k=(?<secret>x))', 'in-match'],
    ['no group here', 'in-match'],
    // Inside a lookaround: its text need not be in the match.
    ['(?<=(?<secret>abc))d', 'unknown'],
    ['x(?=y(?<secret>z))', 'unknown'],
    ['(?!(?<secret>a))b', 'unknown'],
    ['(?<!(?:q|(?<secret>r)))s', 'unknown'],
    // An escaped parenthesis or one inside a class opens no group.
    ['[(?=]\\((?<secret>a)\\)', 'in-match'],
    ['[\\](?=](?<secret>a)', 'ends-match'],
    // Unbalanced: cannot tell, so the exact (indices) path is taken.
    ['(?<secret>a', 'unknown'],
    ['a)(?<secret>b)', 'unknown'],
    ['(?<secret>[a)', 'unknown'],
  ])('%s → %s', (source, expected) => {
    expect(secretPlacement(source)).toBe(expected);
  });

  it('never needs the indices path for a built-in pattern, and most end the match', () => {
    const placements = BUILTIN_PATTERNS.filter((p) => p.regex.source.includes('(?<secret>')).map((p) =>
      secretPlacement(p.regex.source),
    );
    expect(placements).not.toContain('unknown');
    expect(placements.filter((placement) => placement === 'ends-match').length).toBeGreaterThan(placements.length / 2);
  });
});

describe('secretGroupSpan gives the span the d flag gives', () => {
  it('for every placement, when the secret occurs once in the match, more than once, not at all, or only in a lookaround', () => {
    const cases: Array<[string, string]> = [
      ['password=(?<secret>\\w+)', 'x password=hunter2 y pass=pass=pass'],
      // The value repeats the key: the first occurrence of the secret is not the group.
      ['(?<key>\\w+)=(?<secret>\\w+)@', 'pass=pass@ pwd=pwdpwd@ aa=a@'],
      ['token (?<secret>a+)?b', 'token b token aab'],
      ['(?<=(?<secret>ab))c', 'xabc abc'],
      ['a(?=(?<secret>a))', 'aaa'],
      ['(?<secret>)x', 'xx'],
      ['k=(?<secret>a+)(?=a)', 'k=aaaa k=a'],
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
    const text = [...corpus, syntheticLog(100_000, 7, 10).text, 'pass=pass=pass=pass', 'https://u:p@p@host'].join('\n');
    let located = 0;
    for (const pattern of BUILTIN_PATTERNS.filter((p) => p.regex.source.includes('(?<secret>'))) {
      const flags = pattern.regex.flags.replace(/[gyd]/g, '');
      for (const { fast, reference } of bothWays(pattern.regex.source, flags, text)) {
        expect({ pattern: pattern.name, fast }).toEqual({ pattern: pattern.name, fast: reference });
        located++;
      }
    }
    expect(located).toBeGreaterThan(100);
  });

  it('on generated text full of repeats, for shapes that make the secret ambiguous', () => {
    const sources = [
      '(?<key>[ab]{1,3})=(?<secret>[ab]{1,6})',
      '(?<key>[ab]{1,3})=(?<secret>[ab]{1,6})-',
      '(?:(?<secret>[ab]+)-)+(?<tail>[ab]*)',
      '[ab]*(?<secret>a[ab]?)b*',
      '(?<secret>[ab]+)(?=[ab=])',
    ];
    fc.assert(
      fc.property(fc.stringMatching(/^[ab=-]{0,40}$/), fc.constantFrom(...sources), (text, source) => {
        for (const { fast, reference } of bothWays(source, '', text)) expect(fast).toEqual(reference);
      }),
      { numRuns: 3000 },
    );
  });
});
