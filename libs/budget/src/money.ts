import { BudgetError } from './budget.errors';

/** Money is held as integer micro-dollars (1 USD = 1,000,000): exact, and far inside 2^53 for any sane limit. */
export const MICROS_PER_USD = 1_000_000;
export const USD_DECIMALS = 6;

/** What callers may pass as an amount: a JS number (from JSON) or decimal text. */
export type UsdInput = number | string;

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const EXPONENT = /^(\d+)(?:\.(\d+))?e([+-]?\d+)$/i;

/**
 * Parses a USD amount into micro-dollars without ever rounding: anything with
 * a 7th decimal, non-finite, zero, negative, or not a plain decimal is refused
 * with BUDGET_INVALID_AMOUNT naming `field`.
 *
 * Numbers are read through their shortest round-trip text (`String(0.05)` is
 * "0.05"), which is the decimal the JSON sender wrote whenever that decimal is
 * representable at all; exponent forms (1e-7, 2.5e1) are expanded exactly.
 */
export function parseUsdToMicros(input: unknown, field = 'amount'): number {
  const text = canonicalText(input, field);
  const match = DECIMAL.exec(text) ?? expandExponent(text, field);
  if (!match) throw invalid(field, `${field} must be a decimal number of USD`);
  const [, whole, written = ''] = match;
  // Trailing zeros carry no value ("0.1000000" is 0.1), so they are not a 7th decimal.
  const fraction = written.length > USD_DECIMALS ? written.replace(/0+$/, '') : written;
  if (fraction.length > USD_DECIMALS) {
    throw invalid(field, `${field} must have at most ${USD_DECIMALS} decimal places`);
  }
  const fractionMicros = Number(fraction.padEnd(USD_DECIMALS, '0'));
  // Up to 9 whole digits the sum stays below 2^53, so plain numbers are exact (every spend takes this road).
  const micros =
    whole.length <= 9
      ? Number(whole) * MICROS_PER_USD + fractionMicros
      : BigInt(whole) * BigInt(MICROS_PER_USD) + BigInt(fractionMicros);
  if (micros <= 0) throw invalid(field, `${field} must be greater than 0`);
  if (micros > Number.MAX_SAFE_INTEGER) throw invalid(field, `${field} is too large`);
  return Number(micros);
}

/** True when `input` is an amount parseUsdToMicros accepts (for validators). */
export function isUsdAmount(input: unknown): boolean {
  try {
    parseUsdToMicros(input);
    return true;
  } catch {
    return false;
  }
}

/** Micro-dollars to a JS number of USD. Integer / 1e6 is correctly rounded, so it prints as the exact decimal (50000 → 0.05). */
export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}

/** Micro-dollars as fixed 6-decimal text ("0.050000"), for logs and webhooks that must not depend on float printing. */
export function formatMicros(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = BigInt(Math.abs(micros));
  const unit = BigInt(MICROS_PER_USD);
  return `${sign}${abs / unit}.${(abs % unit).toString().padStart(USD_DECIMALS, '0')}`;
}

function canonicalText(input: unknown, field: string): string {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw invalid(field, `${field} must be a finite number`);
    if (input <= 0) throw invalid(field, `${field} must be greater than 0`);
    return String(input);
  }
  if (typeof input === 'string') {
    const trimmed = input.trim();
    if (trimmed.startsWith('-')) throw invalid(field, `${field} must be greater than 0`);
    return trimmed;
  }
  throw invalid(field, `${field} must be a number`);
}

/** "1e-7" → the same value as plain decimal text, by moving the point (no float arithmetic). */
function expandExponent(text: string, field: string): RegExpExecArray | null {
  const match = EXPONENT.exec(text);
  if (!match) return null;
  const [, whole, fraction = '', exponentText] = match;
  const exponent = Number(exponentText);
  if (!(exponent <= 40)) throw invalid(field, `${field} is too large`);
  if (!(exponent >= -40)) throw invalid(field, `${field} must have at most ${USD_DECIMALS} decimal places`);
  const digits = whole + fraction;
  const point = whole.length + exponent;
  if (point <= 0) return DECIMAL.exec(`0.${'0'.repeat(-point)}${digits}`);
  if (point >= digits.length) return DECIMAL.exec(digits.padEnd(point, '0'));
  return DECIMAL.exec(`${digits.slice(0, point)}.${digits.slice(point)}`);
}

function invalid(field: string, message: string): BudgetError {
  return new BudgetError('BUDGET_INVALID_AMOUNT', message, { field });
}
