import { Redactor } from '../redactor';
import type { RedactionFinding, SecretPattern } from '../redaction.types';
import { FakeSecrets, seededRandom } from '../testing';
import { SECRET_FORMATS } from '../testing/secret-formats';
import { BUILTIN_PATTERNS } from './catalogue';

/**
 * Each built-in pattern, and then the whole Redactor, gets 1 MB inputs built
 * to make it work hardest: its keyword repeated at every position, its prefix
 * followed by a run of its own alphabet far past its maximum length with no
 * terminator, key/separator storms where a value could swallow the next key,
 * and repeated near-matches (a valid secret one character short, or broken in
 * the middle, or a placeholder). Speed is not asserted here (benchmarks measure
 * speed; the complexity claim is recheck's, in patterns.linear-time.spec.ts):
 * each input must complete within the test timeout and give well-formed,
 * idempotent output.
 */
const MB = 1024 * 1024;
const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
const prefixRun = (prefix: string, alphabet: string) => prefix + fill(alphabet).slice(prefix.length);

/** A valid sample of each pattern name that has a generator (for near-matches in its own alphabet). */
const samples = new Map<string, string>();
{
  const f = new FakeSecrets(seededRandom(4242));
  for (const format of SECRET_FORMATS) {
    const made = format.make(f);
    if (!samples.has(made.pattern)) samples.set(made.pattern, made.text);
  }
}

function adversarialInputs(pattern: SecretPattern, keyword: string): Array<[string, string]> {
  const sample = samples.get(pattern.name) ?? `${keyword}${'aB3dE9'.repeat(12)}`;
  const middle = sample.length >> 1;
  return [
    ['keyword at every position', fill(keyword)],
    ['keyword + its alphabet past maxLength, no terminator', prefixRun(keyword, 'aB3_x-Y7')],
    ['keyword + hex past maxLength', prefixRun(keyword, '0123456789abcdef')],
    ['key=key=… (a value that could swallow the next key)', fill(`${keyword}=`)],
    ['key: key: …', fill(`${keyword}: `)],
    ['key:key:… / URL userinfo', fill(`${keyword}://a:`)],
    ['quoted key storm', fill(`"${keyword}": "`)],
    ['placeholder values', fill(`${keyword}=xxxx-your-key-here `)],
    ['valid sample one character short', fill(`${sample.slice(0, -1)} `)],
    ['valid sample broken in the middle', fill(`${sample.slice(0, middle)}!${sample.slice(middle + 1)}\n`)],
  ];
}

/** Sorted, non-overlapping, inside the text, none longer than `maxSpan` (one expect: findings can number 40,000). */
function expectWellFormed(text: string, findings: readonly RedactionFinding[], maxSpan: number): void {
  let previousEnd = 0;
  const bad = findings.filter((finding) => {
    const ok = finding.start >= previousEnd && finding.end > finding.start && finding.end <= text.length && finding.end - finding.start <= maxSpan;
    previousEnd = finding.end;
    return !ok;
  });
  expect(bad).toEqual([]);
}

describe('1 MB adversarial inputs', () => {
  it.each(BUILTIN_PATTERNS.map((p, i) => [`${i}:${p.name}`, p] as const))('%s completes with well-formed findings', (_label, pattern) => {
    const redactor = new Redactor({ patterns: [pattern], maxTextBytes: 4 * MB });
    const keywords = pattern.keywords.length > 0 ? [...new Set([pattern.keywords[0], pattern.keywords[pattern.keywords.length - 1]])] : ['MTIzNDU2Nzg5MDEyMzQ1Njc4.'];
    let inputs = 0;
    for (const keyword of keywords) {
      for (const [, input] of adversarialInputs(pattern, keyword)) {
        expect(input.length).toBe(MB);
        const findings = redactor.findSecrets(input);
        // Overlapping claims of one pattern never happen (a scan resumes after an accepted match); +1 for a widened surrogate pair.
        expectWellFormed(input, findings, pattern.maxLength + 1);
        inputs++;
      }
    }
    expect(inputs).toBeGreaterThanOrEqual(10);
  }, 30_000);

  describe('the whole Redactor', () => {
    const redactor = new Redactor({ maxTextBytes: 4 * MB });
    const f = new FakeSecrets(seededRandom(77));
    const keywords = [...new Set(BUILTIN_PATTERNS.flatMap((p) => p.keywords))];
    const nearMisses = SECRET_FORMATS.map((format) => format.make(f).text.slice(0, -1));
    const inputs: Array<[string, string]> = [
      ['every keyword, back to back', fill(keywords.join(''))],
      ['every keyword as a key', fill(keywords.map((k) => `${k}=`).join(''))],
      ['every keyword as a quoted key', fill(keywords.map((k) => `"${k}": "`).join(''))],
      ['near-misses of every generated format', fill(nearMisses.join(' ') + '\n')],
      ['one line of base64 after Bearer', prefixRun('Authorization: Bearer ', 'QWxhZGRpbjpvcGVuIHNlc2FtZQ+/')],
      ['one line of value characters after password=', prefixRun('password=', 'hunter2~!*[]{}()')],
      ['PEM headers without bodies', fill('-----BEGIN RSA PRIVATE KEY-----\n')],
      ['markers', fill('[REDACTED:PASSWORD]')],
      ['URLs with userinfo and no host', fill('postgres://u:p')],
      ['random printable ASCII', f.pick(Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), MB)],
    ];

    it.each(inputs)('%s: completes, well-formed and idempotent', (_label, input) => {
      expect(input.length).toBe(MB);
      const findings = redactor.findSecrets(input);
      expectWellFormed(input, findings, MB);
      const once = redactor.redactUnbounded(input);
      expect(redactor.redactUnbounded(once)).toBe(once);
    }, 30_000);
  });
});
