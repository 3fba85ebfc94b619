import { Redactor } from '../redactor';
import type { RedactionFinding } from '../redaction.types';
import {
  ADVERSARIAL_BYTES,
  attackKeywords,
  patternAdversarialInputs,
  redactorAdversarialInputs,
} from '../testing/adversarial-inputs';
import { BUILTIN_PATTERNS } from './catalogue';

/**
 * Each built-in pattern, and then the whole Redactor, gets 1 MB inputs built
 * to make it work hardest (testing/adversarial-inputs.ts). Speed is not
 * asserted here (bench:redaction times these inputs; the complexity claim is
 * recheck's, in patterns.linear-time.spec.ts): each input must complete within
 * the test timeout and give well-formed, idempotent output.
 */
const MB = ADVERSARIAL_BYTES;

/** Sorted, non-overlapping, inside the text, none longer than `maxSpan` (one expect: findings can number 40,000). */
function expectWellFormed(text: string, findings: readonly RedactionFinding[], maxSpan: number): void {
  let previousEnd = 0;
  const bad = findings.filter((finding) => {
    const ok =
      finding.start >= previousEnd &&
      finding.end > finding.start &&
      finding.end <= text.length &&
      finding.end - finding.start <= maxSpan;
    previousEnd = finding.end;
    return !ok;
  });
  expect(bad).toEqual([]);
}

describe('1 MB adversarial inputs', () => {
  it.each(BUILTIN_PATTERNS.map((p, i) => [`${i}:${p.name}`, p] as const))(
    '%s completes with well-formed findings',
    (_label, pattern) => {
      const redactor = new Redactor({ patterns: [pattern], maxTextBytes: 4 * MB });
      let inputs = 0;
      for (const keyword of attackKeywords(pattern)) {
        for (const [, input] of patternAdversarialInputs(pattern, keyword)) {
          expect(input.length).toBe(MB);
          const findings = redactor.findSecrets(input);
          // Overlapping claims of one pattern never happen (a scan resumes after an accepted match); +1 for a widened surrogate pair.
          expectWellFormed(input, findings, pattern.maxLength + 1);
          inputs++;
        }
      }
      expect(inputs).toBeGreaterThanOrEqual(10);
    },
    30_000,
  );

  describe('the whole Redactor', () => {
    const redactor = new Redactor({ maxTextBytes: 4 * MB });
    const inputs = redactorAdversarialInputs();

    it.each(inputs)(
      '%s: completes, well-formed and idempotent',
      (_label, input) => {
        expect(input.length).toBe(MB);
        const findings = redactor.findSecrets(input);
        expectWellFormed(input, findings, MB);
        const once = redactor.redactUnbounded(input);
        expect(redactor.redactUnbounded(once)).toBe(once);
      },
      30_000,
    );
  });
});
