import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { placementCases } from '../../corpus/placements';
import { BUILTIN_PATTERNS } from '../patterns/catalogue';
import { syntheticLog } from '../testing';
import type { Candidate } from './candidate';
import { compilePattern, type CompiledPattern } from './compiled-pattern';
import { acceptMatch, PatternScanner } from './pattern-scanner';

/** The reference: one left-to-right scan of the whole text, no keywords, no windows (a `gate` still applies). */
function fullScan(pattern: CompiledPattern, text: string): Candidate[] {
  const out: Candidate[] = [];
  if (pattern.gate && !pattern.gate(text)) return out;
  const regex = pattern.regex;
  regex.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = regex.exec(text)) !== null)
    if (!acceptMatch(text, pattern, match, 0, out)) regex.lastIndex = match.index + 1;
  return out;
}

const byPosition = (a: Candidate, b: Candidate) => a.start - b.start || a.end - b.end || a.priority - b.priority;
const compiled = BUILTIN_PATTERNS.map(compilePattern);
const scanners = compiled.map((pattern) => new PatternScanner([pattern]));
const whole = new PatternScanner(compiled);

function scan(scanner: PatternScanner, text: string): Candidate[] {
  const out: Candidate[] = [];
  scanner.scan(text, out);
  return out.sort(byPosition);
}

function referenceForAll(text: string): Candidate[] {
  return compiled.flatMap((pattern) => fullScan(pattern, text)).sort(byPosition);
}

const corpus = readFileSync(join(__dirname, '../../corpus/redaction-corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => (JSON.parse(line) as { text: string }).text)
  .concat(placementCases().map((c) => c.text));

/** Text made of keywords, separators and token characters: near misses of every pattern, densely. */
const keywordSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom(...new Set(BUILTIN_PATTERNS.flatMap((p) => p.keywords))),
      fc.constantFrom(
        '=',
        ': ',
        '"',
        "'",
        '://',
        '@',
        ':',
        '-',
        '_',
        '.',
        ' ',
        '\n',
        '--',
        'Bearer ',
        'password=',
        'https://',
        // Table cells, CSV fields, backticks and YAML block scalars (the afterKeyName and opensAt gates).
        ' | ',
        '\t',
        ',',
        '`',
        ': >-\n  ',
      ),
      fc.stringMatching(/^[A-Za-z0-9_-]{1,48}$/),
      fc.stringMatching(/^[0-9a-f]{8,40}$/),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('PatternScanner finds what a full scan of the text finds', () => {
  it('for every built-in pattern, on every corpus and placement line and on all of them as one text', () => {
    const texts = [...corpus, corpus.join('\n')];
    compiled.forEach((pattern, i) => {
      for (const text of texts)
        expect({ pattern: pattern.name, found: scan(scanners[i], text) }).toEqual({
          pattern: pattern.name,
          found: fullScan(pattern, text),
        });
    });
  });

  it('for the whole catalogue at once, on a synthetic log with planted secrets', () => {
    const { text } = syntheticLog(200_000, 11, 20);
    expect(scan(whole, text)).toEqual(referenceForAll(text));
  });

  it('for the whole catalogue at once, on generated keyword soup (declared keyword offsets are right)', () => {
    fc.assert(
      fc.property(keywordSoup, (text) => {
        expect(scan(whole, text)).toEqual(referenceForAll(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('junk runs', () => {
  // After a long rejected match of a few characters the scan resumes near its end; what follows the
  // junk must still be found, whatever key introduces it and wherever the junk stops.
  const secrets = ['Xq7~pz!9aKf2', 'hunter2horse', 'c0rrectHorse!'];
  const keys = ['pass=', 'password=', 'pwd: ', 'db_password = '];
  const separators = [', ', '; ', ' & '];
  it.each(
    keys.flatMap((key) =>
      secrets.flatMap((secret) => separators.map((separator) => [key, secret, separator] as const)),
    ),
  )('finds %s%s after 1 to 3,000 junk repetitions and %j', (key, secret, separator) => {
    for (const reps of [1, 30, 77, 400, 3000]) {
      const text = `${'pass='.repeat(reps)}${separator}${key}${secret}\ntail`;
      const found = scan(whole, text);
      const covering = found.find(
        (c) => c.start <= text.indexOf(secret) && c.end >= text.indexOf(secret) + secret.length,
      );
      expect({ reps, covered: Boolean(covering) }).toEqual({ reps, covered: true });
    }
  });
});
