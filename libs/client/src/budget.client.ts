import { BudgetExceededError } from './client.errors';
import type { CallOptions, SafetyClientOptions } from './client.options';
import type {
  BudgetEvents,
  BudgetStatus,
  CanSpendResult,
  Reservation,
  ReservationSettlement,
  SpendResult,
} from './client.types';
import { SafetyHttp } from './http/safety-http';

export interface CreateBudgetOptions extends CallOptions {
  /** Fractions of the limit that each fire one alert (server default `[0.5, 0.8, 1]`). */
  alertThresholds?: number[];
}

export interface SpendOptions extends CallOptions {
  /**
   * Makes the spend safe to retry: the server applies one key once and replays its first
   * result. The client generates one per `spend` call when you pass none, so its own
   * retries never double-charge; pass your own (e.g. the tool-call id) to make retries
   * across processes safe too.
   */
  idempotencyKey?: string;
  /** Record a cost already incurred even past the limit (the status then says `exceeded`). */
  allowOverage?: boolean;
}

export interface ReserveOptions extends CallOptions {
  /** Seconds until the hold frees itself (server default 300). */
  ttlSeconds?: number;
}

/**
 * Per-run money budgets over `/api/v1/safety/budget`. Amounts are USD numbers
 * with at most 6 decimals; the server keeps them exact.
 */
export class BudgetClient {
  private readonly http: SafetyHttp;

  constructor(baseUrl?: string, options?: SafetyClientOptions) {
    this.http = new SafetyHttp(baseUrl, options);
  }

  /** Creates the run's budget; `limit` defaults to the server's DEFAULT_RUN_BUDGET. 409 if it exists. */
  createBudget(runId: string, limit?: number, options: CreateBudgetOptions = {}): Promise<BudgetStatus> {
    const body = { run_id: runId, limit, alert_thresholds: options.alertThresholds };
    return this.http.send(
      'POST /api/v1/safety/budget/create',
      (init) => this.http.api.POST('/api/v1/safety/budget/create', { body, ...init }),
      // Not retried: after a lost answer the retry would see 409 BUDGET_ALREADY_EXISTS.
      { retrySafe: false, call: options },
    );
  }

  /** Whether `amount` fits in what is left now. Changes nothing. */
  async canSpend(runId: string, amount: number, options?: CallOptions): Promise<boolean> {
    return (await this.checkSpend(runId, amount, options)).can_spend;
  }

  /** Like canSpend, with the remaining amount. */
  checkSpend(runId: string, amount: number, options?: CallOptions): Promise<CanSpendResult> {
    return this.http.send(
      'POST /api/v1/safety/budget/can-spend',
      (init) => this.http.api.POST('/api/v1/safety/budget/can-spend', { body: { run_id: runId, amount }, ...init }),
      { retrySafe: true, call: options },
    );
  }

  /**
   * Records a spend atomically and returns the budget after it. Throws BudgetExceededError
   * (nothing recorded) when it does not fit, BudgetNotFoundError for an unknown run.
   */
  spend(runId: string, amount: number, options: SpendOptions = {}): Promise<SpendResult> {
    const idempotencyKey = options.idempotencyKey ?? globalThis.crypto.randomUUID();
    const body = { run_id: runId, amount, idempotency_key: idempotencyKey, allow_overage: options.allowOverage };
    return this.http.send(
      'POST /api/v1/safety/budget/spend',
      (init) => this.http.api.POST('/api/v1/safety/budget/spend', { body, ...init }),
      { retrySafe: true, call: options },
    );
  }

  /** The run's budget status. */
  getStatus(runId: string, options?: CallOptions): Promise<BudgetStatus> {
    return this.http.send(
      'GET /api/v1/safety/budget/{run_id}',
      (init) => this.http.api.GET('/api/v1/safety/budget/{run_id}', { params: { path: { run_id: runId } }, ...init }),
      { retrySafe: true, call: options },
    );
  }

  /**
   * Throws BudgetExceededError unless `amount` fits in what is left now. A guard before
   * starting costly work; it records nothing (call `spend` or `reserve` for that).
   */
  async enforceLimit(runId: string, amount: number, options?: CallOptions): Promise<void> {
    const result = await this.checkSpend(runId, amount, options);
    if (result.can_spend) return;
    throw new BudgetExceededError({
      type: 'urn:safety-api:problem:budget-exceeded',
      title: 'Budget exceeded',
      status: 402,
      detail: `Spending ${amount} would exceed the budget of run ${runId}: ${result.remaining} remaining`,
      instance: '/api/v1/safety/budget/can-spend',
      code: 'BUDGET_EXCEEDED',
      request_id: options?.requestId ?? '',
      run_id: runId,
      amount,
      remaining: result.remaining,
    });
  }

  /** Holds `amount` for work whose cost is known only afterwards. BudgetExceededError when it does not fit. */
  reserve(runId: string, amount: number, options: ReserveOptions = {}): Promise<Reservation> {
    const body = { run_id: runId, amount, ttl_seconds: options.ttlSeconds };
    return this.http.send(
      'POST /api/v1/safety/budget/reserve',
      (init) => this.http.api.POST('/api/v1/safety/budget/reserve', { body, ...init }),
      // Not retried: a reserve carries no idempotency key, so a retry could hold twice.
      { retrySafe: false, call: options },
    );
  }

  /** Spends what the work cost (at most the amount held) and frees the hold. Repeating it changes nothing, so it is retried. */
  commit(reservationId: string, amount: number, options?: CallOptions): Promise<ReservationSettlement> {
    return this.http.send(
      'POST /api/v1/safety/budget/reservations/{id}/commit',
      (init) =>
        this.http.api.POST('/api/v1/safety/budget/reservations/{id}/commit', {
          params: { path: { id: reservationId } },
          body: { amount },
          ...init,
        }),
      { retrySafe: true, call: options },
    );
  }

  /** Frees the hold without spending. Repeating it changes nothing, so it is retried. */
  release(reservationId: string, options?: CallOptions): Promise<ReservationSettlement> {
    return this.http.send(
      'POST /api/v1/safety/budget/reservations/{id}/release',
      (init) =>
        this.http.api.POST('/api/v1/safety/budget/reservations/{id}/release', {
          params: { path: { id: reservationId } },
          ...init,
        }),
      { retrySafe: true, call: options },
    );
  }

  /** The run's budget events (spends, holds, threshold alerts), oldest first; page with `after`. */
  getEvents(
    runId: string,
    query: { limit?: number; after?: string } = {},
    options?: CallOptions,
  ): Promise<BudgetEvents> {
    return this.http.send(
      'GET /api/v1/safety/budget/{run_id}/events',
      (init) =>
        this.http.api.GET('/api/v1/safety/budget/{run_id}/events', {
          params: { path: { run_id: runId }, query },
          ...init,
        }),
      { retrySafe: true, call: options },
    );
  }
}
