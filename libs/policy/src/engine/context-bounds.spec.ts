import { ActionType, CONTEXT_LIMITS, PolicyError } from '@app/policy';
import { validateContext } from './context-validation';

function refusal(context: unknown): PolicyError {
  try {
    validateContext(ActionType.EXECUTE_CODE, context);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('context bounds', () => {
  const base = { command: 'ls' };

  it('accepts a context at each bound', () => {
    const keys = Object.fromEntries(Array.from({ length: CONTEXT_LIMITS.keys - 1 }, (_, i) => [`k${i}`, i]));
    expect(() => validateContext(ActionType.EXECUTE_CODE, { ...base, ...keys })).not.toThrow();
    let nested: unknown = 1;
    for (let i = 0; i < CONTEXT_LIMITS.depth - 1; i++) nested = { n: nested };
    expect(() => validateContext(ActionType.EXECUTE_CODE, { ...base, nested })).not.toThrow();
  });

  it.each([
    [
      'too many keys',
      Object.fromEntries(Array.from({ length: CONTEXT_LIMITS.keys + 1 }, (_, i) => [`k${i}`, i])),
      /at most 256/,
    ],
    ['too deep', { nested: JSON.parse('{"a":'.repeat(20) + '1' + '}'.repeat(20)) }, /nests deeper than 8/],
    ['too many values', { list: Array.from({ length: CONTEXT_LIMITS.values + 1 }, () => 1) }, /more than 4096 values/],
    ['too much text', { notes: ['x'.repeat(CONTEXT_LIMITS.chars), 'y'] }, /characters of text/],
  ])('refuses %s with POLICY_INVALID_CONTEXT at /context', (_name, extra, message) => {
    const error = refusal({ ...base, ...(extra as object) });
    expect(error.code).toBe('POLICY_INVALID_CONTEXT');
    expect(error.message).toMatch(message);
    expect(error.extensions.errors).toEqual([expect.objectContaining({ pointer: '/context' })]);
  });
});
