import type { TransformFnParams } from 'class-transformer';

/** The largest page any list endpoint returns. */
const MAX_PAGE_LIMIT = 1000;

/**
 * One message for every way a `limit` can be wrong, so `?limit=abc` reads as one clear error
 * rather than three (not an integer, below 1, above 1000); RequestValidationError drops repeats.
 */
export const PAGE_LIMIT_RULE = `limit must be an integer from 1 to ${MAX_PAGE_LIMIT}`;

/**
 * Query values arrive as strings; only plain decimal digits become a number. Anything else
 * (`1e3`, `0x10`, ` 5`, ``) stays a string and fails IsInt, where `@Type(() => Number)` would
 * have read `0x10` as 16 and `1e3` as 1000.
 */
export function digitsToNumber({ value }: TransformFnParams): unknown {
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
}
