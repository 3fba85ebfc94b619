import { BudgetError } from './budget.errors';
import { parseUsdToMicros } from './money';
import { SCOPED_RUN_ID_PATTERN } from './scoped-run-id';

/**
 * Run ids go into Redis key names inside a `{}` hash tag and into URL paths,
 * so they are plain tokens: no braces, no spaces, no slashes.
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** RUN_ID_PATTERN in words, for every error about a run id (library and DTOs alike). */
export const RUN_ID_RULE =
  'run_id must be 1-128 characters: letters, digits, and . _ : - (starting with a letter or digit)';
/** Printable ASCII without spaces, like HTTP header tokens, up to 255 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const MAX_ALERT_THRESHOLDS = 10;

const SCOPE_PATTERN = /^[a-z0-9-]{1,63}$/;

/**
 * The ledger id of `runId` within `scope` (undefined: no scope). The run id is checked against
 * RUN_ID_PATTERN first, so a caller cannot name another scope's run by putting a `/` in its own.
 */
export function scopedRunId(scope: string | undefined, runId: unknown): string {
  if (typeof runId !== 'string' || !RUN_ID_PATTERN.test(runId)) throw invalidRunId();
  if (scope === undefined) return runId;
  if (!SCOPE_PATTERN.test(scope)) throw new Error(`scope must match [a-z0-9-]{1,63}`);
  return `${scope}/${runId}`;
}

function invalidRunId(): BudgetError {
  return new BudgetError('BUDGET_INVALID_ARGUMENT', `${RUN_ID_RULE}.`, { field: 'run_id' });
}

/** A ledger run id: a run id, optionally scoped (SCOPED_RUN_ID_PATTERN). */
export function validateRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== 'string' || !SCOPED_RUN_ID_PATTERN.test(runId)) throw invalidRunId();
}

export function validateIdempotencyKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new BudgetError(
      'BUDGET_INVALID_ARGUMENT',
      'idempotency_key must be 1-255 printable ASCII characters without spaces.',
      {
        field: 'idempotency_key',
      },
    );
  }
}

/** Fractions in (0, 1] with at most 6 decimals, strictly ascending once sorted → parts per million. */
export function parseThresholds(fractions: unknown): number[] {
  const invalid = (detail: string) =>
    new BudgetError('BUDGET_INVALID_ARGUMENT', `alert_thresholds ${detail}`, { field: 'alert_thresholds' });
  if (!Array.isArray(fractions)) throw invalid('must be an array of fractions of the limit');
  if (fractions.length > MAX_ALERT_THRESHOLDS) throw invalid(`may hold at most ${MAX_ALERT_THRESHOLDS} values`);
  const ppm = fractions.map((fraction) => {
    try {
      // A fraction with 6 decimals is exactly an integer count of millionths, the same shape as micro-dollars.
      return parseUsdToMicros(fraction, 'alert_thresholds');
    } catch {
      throw invalid('must hold numbers greater than 0 with at most 6 decimals');
    }
  });
  if (ppm.some((value) => value > 1_000_000)) throw invalid('must hold fractions no greater than 1');
  const sorted = [...ppm].sort((a, b) => a - b);
  if (sorted.some((value, index) => index > 0 && value === sorted[index - 1])) throw invalid('must not repeat a value');
  return sorted;
}
