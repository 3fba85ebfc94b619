import { redactValue } from './redact-value';
import { Redactor } from './redactor';

const KEY = 'sk-proj-' + 'a1B2c3D4'.repeat(6);
const OTHER = 'sk-proj-' + 'Z9y8X7w6'.repeat(6);
const MASK = '[REDACTED:OPENAI_API_KEY]';

describe('redactValue', () => {
  const redactor = new Redactor({ maxTextBytes: Number.POSITIVE_INFINITY });

  it('redacts every string, nested in objects and arrays, and leaves other values alone', () => {
    const input = { a: `key ${KEY}`, list: [KEY, 1, true, null], deep: { n: 2, s: 'plain' } };
    expect(redactValue(redactor, input)).toEqual({
      a: `key ${MASK}`,
      list: [MASK, 1, true, null],
      deep: { n: 2, s: 'plain' },
    });
    expect(input.a).toBe(`key ${KEY}`);
  });

  it('redacts object keys, and keeps both entries when two keys redact alike', () => {
    const out = redactValue(redactor, { [KEY]: 1, nested: { [OTHER]: 2, [`x ${KEY}`]: 3 } });
    expect(out).toEqual({ [MASK]: 1, nested: { [MASK]: 2, [`x ${MASK}`]: 3 } });
    expect(redactValue(redactor, { [KEY]: 1, [OTHER]: 2 })).toEqual({ [MASK]: 1, [`${MASK}#2`]: 2 });
  });

  it('replaces the values of secret-named keys unless told not to', () => {
    const input = { password: 'hunter2', session_id: 'lsb_0123' };
    expect(redactValue(redactor, input)).toEqual({
      password: '[REDACTED:PASSWORD]',
      session_id: '[REDACTED:SESSION_ID]',
    });
    expect(redactValue(redactor, input, { secretNamedKeys: false })).toEqual(input);
  });

  it('keeps a __proto__ key from parsed JSON as an own key, never as the prototype', () => {
    const out = redactValue(redactor, JSON.parse(`{"__proto__":{"k":"${KEY}"}}`) as object);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe(`{"__proto__":{"k":"${MASK}"}}`);
  });
});
