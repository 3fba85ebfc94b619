import fc from 'fast-check';
import { BudgetError } from './budget.errors';
import { formatMicros, isUsdAmount, microsToUsd, parseUsdToMicros } from './money';

function rejection(input: unknown, field = 'amount'): BudgetError {
  try {
    parseUsdToMicros(input, field);
  } catch (error) {
    return error as BudgetError;
  }
  throw new Error(`expected ${String(input)} to be rejected`);
}

describe('parseUsdToMicros', () => {
  it.each([
    [0.05, 50_000],
    [0.1, 100_000],
    [1, 1_000_000],
    [10.0, 10_000_000],
    [0.000001, 1],
    [0.333333, 333_333],
    [99.999999, 99_999_999],
    [1e-6, 1],
    [2.5e1, 25_000_000],
    [100, 100_000_000],
    ['0.05', 50_000],
    ['1.000000', 1_000_000],
    ['0.1000000', 100_000],
    ['12', 12_000_000],
    ['1.5E-3', 1_500],
  ])('reads %p as %p micro-dollars exactly', (input, micros) => {
    expect(parseUsdToMicros(input)).toBe(micros);
  });

  it.each([
    [0.0000001, 'at most 6 decimal places'],
    [1e-7, 'at most 6 decimal places'],
    [0.1234567, 'at most 6 decimal places'],
    ['0.0000015', 'at most 6 decimal places'],
    [0, 'greater than 0'],
    [-0.05, 'greater than 0'],
    [-0, 'greater than 0'],
    ['-1', 'greater than 0'],
    ['0.000000', 'greater than 0'],
    [Number.NaN, 'finite'],
    [Number.POSITIVE_INFINITY, 'finite'],
    [Number.NEGATIVE_INFINITY, 'finite'],
    ['abc', 'decimal number'],
    ['', 'decimal number'],
    ['0x10', 'decimal number'],
    ['1,5', 'decimal number'],
    ['.5', 'decimal number'],
    [null, 'must be a number'],
    [true, 'must be a number'],
    [{}, 'must be a number'],
    [[1], 'must be a number'],
    [1e300, 'too large'],
  ])('rejects %p (%s) with BUDGET_INVALID_AMOUNT naming the field', (input, reason) => {
    const error = rejection(input, 'limit');
    expect(error).toBeInstanceOf(BudgetError);
    expect(error.code).toBe('BUDGET_INVALID_AMOUNT');
    expect(error.message).toContain(reason);
    expect(error.message).toMatch(/^limit /);
    expect(error.extensions).toEqual({ field: 'limit' });
  });

  it('keeps sums exact where doubles drift', () => {
    const tenthSum = Array.from({ length: 10 }, () => parseUsdToMicros(0.1)).reduce((a, b) => a + b, 0);
    expect(microsToUsd(tenthSum)).toBe(1);
    const twentieths = Array.from({ length: 20 }, () => parseUsdToMicros(0.05)).reduce((a, b) => a + b, 0);
    expect(twentieths).toBe(parseUsdToMicros(1));
    expect(microsToUsd(3 * parseUsdToMicros(0.333333))).toBe(0.999999);
  });

  it('isUsdAmount agrees with the parser', () => {
    expect(isUsdAmount(0.05)).toBe(true);
    expect(isUsdAmount(0.0000001)).toBe(false);
    expect(isUsdAmount('nope')).toBe(false);
  });
});

describe('parseUsdToMicros on decimal text of any size', () => {
  // Whole parts of up to 9 digits are summed as numbers, longer ones as BigInt: both must equal the decimal.
  const wholeDigits = fc.stringMatching(/^[1-9][0-9]{0,11}$/);
  const fractionDigits = fc.stringMatching(/^[0-9]{0,6}$/);

  it('reads whole.fraction as whole × 10⁶ + fraction micro-dollars, or refuses it as too large', () => {
    fc.assert(
      fc.property(wholeDigits, fractionDigits, (whole, fraction) => {
        const text = fraction ? `${whole}.${fraction}` : whole;
        const exact = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
        if (exact > BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(rejection(text).message).toContain('too large');
        } else {
          expect(parseUsdToMicros(text)).toBe(Number(exact));
        }
      }),
    );
  });

  it.each([
    ['999999999.999999', 999_999_999_999_999],
    ['1000000000', 1_000_000_000_000_000],
    ['9007199254.740991', Number.MAX_SAFE_INTEGER],
  ])('reads %p at the boundary of the two roads as %p', (text, micros) => {
    expect(parseUsdToMicros(text)).toBe(micros);
  });

  it('refuses one micro-dollar above the largest safe integer', () => {
    expect(rejection('9007199254.740992').message).toContain('too large');
  });
});

describe('microsToUsd / formatMicros', () => {
  it.each([
    [50_000, 0.05, '0.050000'],
    [1, 0.000001, '0.000001'],
    [123_456_789, 123.456789, '123.456789'],
    [0, 0, '0.000000'],
    [-1_500_000, -1.5, '-1.500000'],
  ])('%p micros → %p USD → %p', (micros, usd, text) => {
    expect(microsToUsd(micros)).toBe(usd);
    expect(formatMicros(micros)).toBe(text);
  });

  it('prints every 6-decimal value back as the decimal it came from', () => {
    for (const text of ['0.1', '0.2', '0.3', '0.7', '1.1', '2.675', '99.999999', '0.000003']) {
      expect(String(microsToUsd(parseUsdToMicros(text)))).toBe(text);
    }
  });
});
