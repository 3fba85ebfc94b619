import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { BudgetAlertDispatcher } from './alerts/budget-alert.dispatcher';
import { BudgetError } from './budget.errors';
import { BUDGET_SETTINGS, BudgetSettings } from './budget.settings';
import type {
  BudgetAlert,
  BudgetEvent,
  BudgetEventType,
  BudgetStatus,
  CanSpendResult,
  CreateBudgetOptions,
  ListEventsOptions,
  Reservation,
  ReservationSettlement,
  ReserveOptions,
  SpendOptions,
  SpendResult,
  UsdInput,
} from './budget.types';
import { microsToUsd, parseUsdToMicros } from './money';
import { BudgetLedger, LedgerAlert, LedgerBudget, LedgerHold, LedgerSettleOutcome } from './ports/budget-ledger.port';
import { decodeReservationId, newReservationId } from './reservation-id';
import { unscopedRunId } from './scoped-run-id';
import { parseThresholds, validateIdempotencyKey, validateRunId } from './budget.validation';

const EVENT_ID = /^\d{1,16}-\d{1,16}$/;

/**
 * Per-run money budgets, as the product's example uses them:
 * `createBudget('run-123', 10)`, `checkCanSpend('run-123', 0.05)`,
 * `spend('run-123', 0.05)`, `getStatus('run-123')`, plus reservations for
 * work whose cost is known only afterwards.
 *
 * Amounts are USD as a number or decimal text, at most 6 decimals, > 0;
 * they are checked here and handed to the ledger as integer micro-dollars.
 */
@Injectable()
export class BudgetService implements OnApplicationShutdown {
  constructor(
    private readonly ledger: BudgetLedger,
    private readonly alerts: BudgetAlertDispatcher,
    @Inject(BUDGET_SETTINGS) private readonly settings: BudgetSettings,
  ) {}

  /** Creates the run's budget; `limit` defaults to the module's default. Throws BUDGET_ALREADY_EXISTS, BUDGET_LIMIT_TOO_HIGH. */
  async createBudget(runId: string, limit?: UsdInput, options: CreateBudgetOptions = {}): Promise<BudgetStatus> {
    validateRunId(runId);
    const limitMicros = limit === undefined ? this.settings.defaultLimitMicros : parseUsdToMicros(limit, 'limit');
    if (limitMicros > this.settings.maxLimitMicros) {
      throw new BudgetError(
        'BUDGET_LIMIT_TOO_HIGH',
        `limit ${microsToUsd(limitMicros)} is above the maximum run budget of ${microsToUsd(this.settings.maxLimitMicros)}.`,
        { field: 'limit', limit: microsToUsd(limitMicros), maxLimit: microsToUsd(this.settings.maxLimitMicros) },
      );
    }
    const thresholdsPpm =
      options.alertThresholds === undefined
        ? this.settings.defaultThresholdsPpm
        : parseThresholds(options.alertThresholds);
    return toStatus(await this.ledger.create({ runId, limitMicros, thresholdsPpm }));
  }

  /** Whether `amount` fits in what is left right now. Changes nothing. */
  async checkCanSpend(runId: string, amount: UsdInput): Promise<boolean> {
    return (await this.canSpend(runId, amount)).canSpend;
  }

  /** checkCanSpend with the figures. Changes nothing. */
  async canSpend(runId: string, amount: UsdInput): Promise<CanSpendResult> {
    validateRunId(runId);
    const amountMicros = this.amount(amount);
    const status = toStatus(await this.ledger.get(runId));
    return {
      runId,
      amount: microsToUsd(amountMicros),
      canSpend: amountMicros <= status.remainingMicros,
      remaining: status.remaining,
    };
  }

  /**
   * Records a spend atomically. Throws BUDGET_EXCEEDED (nothing recorded) if
   * it does not fit, unless `allowOverage` (a cost already incurred).
   * With an idempotency key a retry returns the first result (`replayed: true`).
   */
  async spend(runId: string, amount: UsdInput, options: SpendOptions = {}): Promise<SpendResult> {
    validateRunId(runId);
    const amountMicros = this.amount(amount);
    const allowOverage = options.allowOverage === true;
    if (options.idempotencyKey !== undefined) validateIdempotencyKey(options.idempotencyKey);
    const outcome = await this.ledger.spend({
      runId,
      amountMicros,
      allowOverage,
      idempotency:
        options.idempotencyKey === undefined
          ? undefined
          : { key: options.idempotencyKey, fingerprint: `spend|${amountMicros}|${allowOverage ? 1 : 0}` },
      journal: options.journal,
    });
    if (outcome.kind === 'exceeded') throw exceeded(outcome.budget, amountMicros);
    if (outcome.kind === 'applied') this.dispatch(outcome.budget, outcome.alerts);
    return { ...toStatus(outcome.budget), amount: microsToUsd(amountMicros), replayed: outcome.kind === 'replayed' };
  }

  /** Throws BUDGET_NOT_FOUND with `Budget not found for run_id: <id>`. */
  async getStatus(runId: string): Promise<BudgetStatus> {
    validateRunId(runId);
    return toStatus(await this.ledger.get(runId));
  }

  /** Holds `amount` until committed, released, or expired (then it frees itself). Throws BUDGET_EXCEEDED if it does not fit. */
  async reserve(runId: string, amount: UsdInput, options: ReserveOptions = {}): Promise<Reservation> {
    validateRunId(runId);
    const amountMicros = this.amount(amount);
    const ttlSeconds = options.ttlSeconds ?? this.settings.defaultHoldTtlSeconds;
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > this.settings.maxHoldTtlSeconds) {
      throw new BudgetError(
        'BUDGET_INVALID_ARGUMENT',
        `ttl_seconds must be an integer from 1 to ${this.settings.maxHoldTtlSeconds}.`,
        {
          field: 'ttl_seconds',
        },
      );
    }
    return this.reserveFor(runId, amountMicros, ttlSeconds * 1000);
  }

  /**
   * Like reserve, with the hold lifetime in milliseconds (in-process callers
   * and tests that need holds shorter than a second).
   */
  async reserveFor(runId: string, amountMicros: number, holdTtlMs: number): Promise<Reservation> {
    validateRunId(runId);
    const reservationId = newReservationId(runId);
    const outcome = await this.ledger.reserve({ runId, reservationId, amountMicros, holdTtlMs });
    if (outcome.kind === 'exceeded') throw exceeded(outcome.budget, amountMicros);
    return toReservation(runId, outcome.hold);
  }

  /** Spends `amount` (at most the amount held) and frees the hold. Repeating the same commit changes nothing. */
  async commitReservation(reservationId: string, amount: UsdInput): Promise<ReservationSettlement> {
    const runId = decodeReservationId(reservationId);
    const amountMicros = this.amount(amount);
    const outcome = await this.ledger.commit({ runId, reservationId, amountMicros });
    if (!outcome.replayed) this.dispatch(outcome.budget, outcome.alerts);
    return toSettlement(runId, outcome);
  }

  /** Frees the hold. Releasing twice, or releasing a hold that already expired, changes nothing. */
  async releaseReservation(reservationId: string): Promise<ReservationSettlement> {
    const runId = decodeReservationId(reservationId);
    return toSettlement(runId, await this.ledger.release({ runId, reservationId }));
  }

  /** The run's events, oldest first (the log keeps the most recent ones; see eventsMaxLen). */
  async listEvents(runId: string, options: ListEventsOptions = {}): Promise<BudgetEvent[]> {
    validateRunId(runId);
    const limit = options.limit ?? 100;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
      throw new BudgetError('BUDGET_INVALID_ARGUMENT', 'limit must be an integer from 1 to 1000.', { field: 'limit' });
    }
    if (options.after !== undefined && !EVENT_ID.test(options.after)) {
      throw new BudgetError('BUDGET_INVALID_ARGUMENT', 'after must be an event id such as 1700000000000-0.', {
        field: 'after',
      });
    }
    const events = await this.ledger.events(runId, { count: limit, after: options.after });
    return events.map((event) => ({
      id: event.id,
      runId,
      type: event.type as BudgetEventType,
      at: new Date(event.atMs),
      ...(event.amountMicros !== undefined ? { amount: microsToUsd(event.amountMicros) } : {}),
      spent: microsToUsd(event.spentMicros),
      reserved: microsToUsd(event.reservedMicros),
      ...(event.thresholdPpm !== undefined ? { threshold: event.thresholdPpm / 1_000_000 } : {}),
      ...(event.reservationId !== undefined ? { reservationId: event.reservationId } : {}),
    }));
  }

  /** Waits for alert deliveries in flight (webhook retries included), at most `timeoutMs`. */
  drainAlerts(timeoutMs?: number): Promise<void> {
    return this.alerts.drain(timeoutMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.alerts.drain(5000);
  }

  private amount(amount: UsdInput): number {
    const micros = parseUsdToMicros(amount, 'amount');
    if (micros > this.settings.maxLimitMicros) {
      throw new BudgetError(
        'BUDGET_INVALID_AMOUNT',
        `amount must not exceed the maximum run budget of ${microsToUsd(this.settings.maxLimitMicros)}.`,
        { field: 'amount' },
      );
    }
    return micros;
  }

  private dispatch(budget: LedgerBudget, alerts: LedgerAlert[]): void {
    if (alerts.length === 0) return;
    this.alerts.dispatch(alerts.map((alert) => toAlert(budget, alert)));
  }
}

export function toStatus(budget: LedgerBudget): BudgetStatus {
  const { limitMicros: limit, spentMicros: spent, reservedMicros: reserved } = budget;
  const remainingMicros = Math.max(0, limit - spent - reserved);
  const thresholds = budget.thresholdsPpm.map((ppm) => ppm / 1_000_000);
  return {
    runId: budget.runId,
    limit: microsToUsd(limit),
    spent: microsToUsd(spent),
    reserved: microsToUsd(reserved),
    remaining: microsToUsd(remainingMicros),
    exceeded: spent > limit,
    // Exact integers: spent × 10⁶ can pass 2⁵³ for large budgets.
    fractionUsed: Number((BigInt(spent) * 1_000_000n) / BigInt(limit)) / 1_000_000,
    percentUsed: Math.floor((spent * 10_000) / limit) / 100,
    state: spent >= limit ? 'exhausted' : budget.crossedCount > 0 ? 'warning' : 'active',
    thresholdsCrossed: thresholds.slice(0, budget.crossedCount),
    alertThresholds: thresholds,
    createdAt: new Date(budget.createdAtMs),
    updatedAt: new Date(budget.updatedAtMs),
    expiresAt: new Date(budget.expiresAtMs),
    limitMicros: limit,
    spentMicros: spent,
    reservedMicros: reserved,
    remainingMicros,
  };
}

function exceeded(budget: LedgerBudget, amountMicros: number): BudgetError {
  const status = toStatus(budget);
  return new BudgetError(
    'BUDGET_EXCEEDED',
    `Spending ${microsToUsd(amountMicros)} would exceed the budget of run_id ${unscopedRunId(budget.runId)}: ${status.remaining} of ${status.limit} remaining.`,
    {
      runId: unscopedRunId(budget.runId),
      amount: microsToUsd(amountMicros),
      limit: status.limit,
      spent: status.spent,
      reserved: status.reserved,
      remaining: status.remaining,
    },
  );
}

function toReservation(runId: string, hold: LedgerHold): Reservation {
  return {
    reservationId: hold.reservationId,
    runId,
    amount: microsToUsd(hold.amountMicros),
    ...(hold.committedMicros !== undefined ? { committedAmount: microsToUsd(hold.committedMicros) } : {}),
    expiresAt: new Date(hold.expiresAtMs),
    status: hold.state,
  };
}

function toSettlement(runId: string, outcome: LedgerSettleOutcome): ReservationSettlement {
  return {
    reservation: toReservation(runId, outcome.hold),
    budget: toStatus(outcome.budget),
    replayed: outcome.replayed,
  };
}

function toAlert(budget: LedgerBudget, alert: LedgerAlert): BudgetAlert {
  const threshold = alert.thresholdPpm !== undefined ? alert.thresholdPpm / 1_000_000 : undefined;
  return {
    // createdAt tells a budget from an earlier one with the same run id.
    alertId: `${budget.runId}:${budget.createdAtMs}:${alert.type}${alert.thresholdPpm !== undefined ? `:${alert.thresholdPpm}` : ''}`,
    type: alert.type,
    runId: budget.runId,
    ...(threshold !== undefined ? { threshold } : {}),
    limit: microsToUsd(budget.limitMicros),
    spent: microsToUsd(budget.spentMicros),
    at: new Date(alert.atMs),
  };
}
