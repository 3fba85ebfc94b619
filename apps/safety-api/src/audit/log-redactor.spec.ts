import { Redactor } from '@app/redaction';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { LogRedactor } from './log-redactor';

describe('LogRedactor.redactIdentifier', () => {
  const redactor = new Redactor({ maxTextBytes: Number.POSITIVE_INFINITY });

  it('leaves minted request ids as they are, which is what the Redactor does with any UUID alone', () => {
    const logRedactor = new LogRedactor();
    for (let i = 0; i < 2_000; i++) {
      const id = randomUUID();
      expect(redactor.redactUnbounded(id)).toBe(id);
      expect(logRedactor.redactIdentifier(id)).toBe(id);
    }
    fc.assert(
      fc.property(fc.uuid({ version: 4 }), (id) => {
        expect(redactor.redactUnbounded(id)).toBe(id);
      }),
    );
  });

  it('redacts a secret chosen as an id, on first sight and from the memo', () => {
    const logRedactor = new LogRedactor();
    const token = `ghp_${'a1B2c3D4e5'.repeat(3)}123456`;
    expect(redactor.redactUnbounded(token)).not.toBe(token);
    expect(logRedactor.redactIdentifier(token)).toBe(redactor.redactUnbounded(token));
    expect(logRedactor.redactIdentifier(token)).toBe(redactor.redactUnbounded(token));
  });

  it('answers what the Redactor answers for any id, however many distinct ids pass', () => {
    const logRedactor = new LogRedactor();
    const id = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/),
      fc.constantFrom(`sk-proj-${'a1B2c3D4'.repeat(6)}`, `xoxb-1234567890-1234567890-${'aB3'.repeat(8)}`),
    );
    fc.assert(
      fc.property(fc.array(id, { minLength: 1, maxLength: 600 }), (ids) => {
        for (const each of [...ids, ...ids])
          expect(logRedactor.redactIdentifier(each)).toBe(redactor.redactUnbounded(each));
      }),
      { numRuns: 5 },
    );
  });
});
