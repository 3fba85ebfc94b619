import type { BudgetErrorCode } from '@app/budget';
import type { ProblemSpec } from '../common/problem/problem.types';

/** How every @app/budget error code is presented; a new code does not compile until it is mapped here. */
export const BUDGET_PROBLEMS: Record<BudgetErrorCode, ProblemSpec> = {
  BUDGET_NOT_FOUND: { status: 404, title: 'Budget not found' },
  BUDGET_EXCEEDED: { status: 402, title: 'Budget exceeded' },
  BUDGET_ALREADY_EXISTS: { status: 409, title: 'Budget already exists' },
  BUDGET_LIMIT_TOO_HIGH: { status: 400, title: 'Budget limit above the maximum' },
  BUDGET_INVALID_AMOUNT: { status: 400, title: 'Invalid amount' },
  BUDGET_INVALID_ARGUMENT: { status: 400, title: 'Invalid budget request' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, title: 'Idempotency key reused with a different request' },
  RESERVATION_NOT_FOUND: { status: 404, title: 'Reservation not found' },
  RESERVATION_EXPIRED: { status: 409, title: 'Reservation expired' },
  RESERVATION_ALREADY_SETTLED: { status: 409, title: 'Reservation already settled' },
  RESERVATION_AMOUNT_EXCEEDED: { status: 422, title: 'Commit exceeds the reserved amount' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
};
