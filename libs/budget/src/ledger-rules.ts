import { unscopedRunId } from './scoped-run-id';
import { BudgetError } from './budget.errors';
import { microsToUsd } from './money';
import type { LedgerHold } from './ports/budget-ledger.port';

/**
 * Rules both ledgers share, so the Redis scripts and the in-memory ledger
 * cannot drift: the Lua scripts implement exactly these, and the contract
 * suite checks both against the same expectations.
 */

/** The spend (in micros) at which a threshold fires: the smallest integer ≥ limit × fraction. */
export function thresholdMicros(limitMicros: number, thresholdPpm: number): number {
  const product = BigInt(limitMicros) * BigInt(thresholdPpm);
  const million = 1_000_000n;
  return Number((product + million - 1n) / million);
}

export function reservationNotFound(reservationId: string): BudgetError {
  return new BudgetError('RESERVATION_NOT_FOUND', `Reservation not found: ${reservationId}`, { reservationId });
}

export function reservationExpired(hold: Pick<LedgerHold, 'reservationId' | 'expiresAtMs'>): BudgetError {
  return new BudgetError(
    'RESERVATION_EXPIRED',
    `Reservation ${hold.reservationId} expired at ${new Date(hold.expiresAtMs).toISOString()} and its hold was freed; record the cost with a spend instead.`,
    { reservationId: hold.reservationId, expiredAt: new Date(hold.expiresAtMs).toISOString() },
  );
}

export function reservationAlreadySettled(hold: Pick<LedgerHold, 'reservationId' | 'state'>): BudgetError {
  return new BudgetError('RESERVATION_ALREADY_SETTLED', `Reservation ${hold.reservationId} is already ${hold.state}.`, {
    reservationId: hold.reservationId,
    reservationStatus: hold.state,
  });
}

export function idempotencyKeyReused(key: string): BudgetError {
  return new BudgetError(
    'IDEMPOTENCY_KEY_REUSED',
    `Idempotency key ${JSON.stringify(key)} was already used for a different request on this run.`,
    { idempotencyKey: key },
  );
}

export function budgetAlreadyExists(runId: string): BudgetError {
  const shown = unscopedRunId(runId);
  return new BudgetError('BUDGET_ALREADY_EXISTS', `A budget already exists for run_id: ${shown}`, { runId: shown });
}

export function reservationAmountExceeded(hold: Pick<LedgerHold, 'reservationId' | 'amountMicros'>): BudgetError {
  return new BudgetError(
    'RESERVATION_AMOUNT_EXCEEDED',
    `The commit amount exceeds the ${microsToUsd(hold.amountMicros)} USD held by reservation ${hold.reservationId}.`,
    { reservationId: hold.reservationId, reservedAmount: microsToUsd(hold.amountMicros) },
  );
}
