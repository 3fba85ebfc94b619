import type { LedgerJournal } from './ports/budget-ledger.port';
import type { UsdInput } from './money';

/** `active` below every alert threshold, `warning` once one is crossed, `exhausted` once spent reaches the limit. */
export const BUDGET_STATES = ['active', 'warning', 'exhausted'] as const;
export type BudgetState = (typeof BUDGET_STATES)[number];

/**
 * A run's budget as callers see it. USD figures are exact decimals (they are
 * integer micro-dollars / 1e6); the `*Micros` twins are for callers that do
 * arithmetic. `remaining = max(0, limit - spent - reserved)`.
 */
export interface BudgetStatus {
  runId: string;
  limit: number;
  spent: number;
  reserved: number;
  remaining: number;
  /** spent > limit, which only a spend with `allowOverage` can cause. */
  exceeded: boolean;
  /** spent / limit as a fraction, floored to 6 decimals (the unit of the thresholds). */
  fractionUsed: number;
  /** @deprecated use fractionUsed. spent / limit × 100, floored to 2 decimals. */
  percentUsed: number;
  state: BudgetState;
  /** Alert thresholds (fractions of the limit) that spent has reached, ascending. */
  thresholdsCrossed: number[];
  /** All alert thresholds of this budget, ascending. */
  alertThresholds: number[];
  createdAt: Date;
  /** Last change made by a caller (create, spend, reserve, commit, release). */
  updatedAt: Date;
  /** When the budget disappears unless something happens first: updatedAt + the budget TTL. */
  expiresAt: Date;
  limitMicros: number;
  spentMicros: number;
  reservedMicros: number;
  remainingMicros: number;
}

/** The outcome of a spend: the status right after it, and whether it was a replay of an earlier identical request. */
export interface SpendResult extends BudgetStatus {
  amount: number;
  /** True when an idempotency key matched an earlier spend: nothing was applied this time, the first result is returned. */
  replayed: boolean;
}

export interface CanSpendResult {
  runId: string;
  amount: number;
  canSpend: boolean;
  remaining: number;
}

export const RESERVATION_STATES = ['held', 'committed', 'released', 'expired'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

export interface Reservation {
  reservationId: string;
  runId: string;
  /** The amount held (USD). */
  amount: number;
  /** What was actually spent when it was committed (USD); absent otherwise. */
  committedAmount?: number;
  expiresAt: Date;
  status: ReservationState;
}

/** A reservation after commit/release, with the budget it belongs to. */
export interface ReservationSettlement {
  reservation: Reservation;
  budget: BudgetStatus;
  /** True when this settle repeated an earlier identical one and changed nothing. */
  replayed: boolean;
}

export const BUDGET_EVENT_TYPES = [
  'budget_created',
  'spent',
  'reserved',
  'committed',
  'released',
  'reservation_expired',
  'threshold_crossed',
  'budget_exceeded',
] as const;
export type BudgetEventType = (typeof BUDGET_EVENT_TYPES)[number];

/** One entry of a run's event log (newest last). `spent`/`reserved` are the budget's figures right after the event. */
export interface BudgetEvent {
  /** Stream id (`<ms>-<seq>`), usable as the `after` cursor. */
  id: string;
  runId: string;
  type: BudgetEventType;
  at: Date;
  amount?: number;
  spent: number;
  reserved: number;
  /** For threshold_crossed: the fraction of the limit that was reached. */
  threshold?: number;
  reservationId?: string;
}

/** Alerts are the events worth telling a human about; each fires at most once per run. */
export type BudgetAlertType = 'threshold_crossed' | 'budget_exceeded';

export interface BudgetAlert {
  /** Stable per run and threshold, so receivers can de-duplicate retried deliveries. */
  alertId: string;
  type: BudgetAlertType;
  runId: string;
  threshold?: number;
  limit: number;
  spent: number;
  at: Date;
}

export interface CreateBudgetOptions {
  /** Fractions of the limit in (0, 1] that fire an alert once each; default the module's `defaultAlertThresholds`. */
  alertThresholds?: number[];
}

export interface SpendOptions {
  /** Makes retries safe: the same key with the same amount applies once (kept `idempotencyTtlSeconds`). */
  idempotencyKey?: string;
  /** Record a cost already incurred even if it takes spent over the limit (status becomes `exceeded`). */
  allowOverage?: boolean;
  /** A record of the call filed with it in the same atomic step, where the store can (see LedgerJournal). */
  journal?: LedgerJournal;
}

export interface ReserveOptions {
  /** How long the hold lives before it frees itself; default the module's `reservationTtlSeconds`. */
  ttlSeconds?: number;
}

export interface ListEventsOptions {
  /** At most this many events (default 100, max 1000). */
  limit?: number;
  /** Only events after this id (exclusive). */
  after?: string;
}

export type { UsdInput };
