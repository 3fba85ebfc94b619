import { unscopedRunId } from './scoped-run-id';
export const BUDGET_ERROR_CODES = [
  'BUDGET_NOT_FOUND',
  'BUDGET_EXCEEDED',
  'BUDGET_ALREADY_EXISTS',
  'BUDGET_LIMIT_TOO_HIGH',
  'BUDGET_INVALID_AMOUNT',
  'BUDGET_INVALID_ARGUMENT',
  'IDEMPOTENCY_KEY_REUSED',
  'RESERVATION_NOT_FOUND',
  'RESERVATION_EXPIRED',
  'RESERVATION_ALREADY_SETTLED',
  'RESERVATION_AMOUNT_EXCEEDED',
  'DEPENDENCY_UNAVAILABLE',
] as const;
export type BudgetErrorCode = (typeof BUDGET_ERROR_CODES)[number];

/**
 * Every failure the budget lib reports. `message` is safe to show a client
 * (it becomes the problem `detail`); `extensions` carry machine-readable
 * facts such as the remaining amount of a refused spend.
 */
export class BudgetError extends Error {
  constructor(
    readonly code: BudgetErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BudgetError';
  }
}

export function budgetNotFound(runId: string): BudgetError {
  const shown = unscopedRunId(runId);
  return new BudgetError('BUDGET_NOT_FOUND', `Budget not found for run_id: ${shown}`, { runId: shown });
}
