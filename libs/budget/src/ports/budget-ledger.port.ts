/**
 * The store behind budgets. Everything is integer micro-dollars and epoch
 * milliseconds; each method is one atomic step (one Lua script on Redis, one
 * synchronous block in memory), so concurrent callers can never overspend.
 * Expired holds are reclaimed at the start of every call, before anything
 * is compared with the limit.
 *
 * Domain failures that need no numbers (not found, key reused, reservation
 * states) are thrown as BudgetError; refusals that the caller reports with
 * figures (over the limit) come back as `{ kind: 'exceeded', budget }`.
 * A store that cannot be reached throws BudgetError DEPENDENCY_UNAVAILABLE.
 */
export abstract class BudgetLedger {
  /** Throws BUDGET_ALREADY_EXISTS if the run already has a live budget. */
  abstract create(input: CreateLedgerBudget): Promise<LedgerBudget>;
  /** Throws BUDGET_NOT_FOUND. */
  abstract get(runId: string): Promise<LedgerBudget>;
  abstract spend(input: LedgerSpend): Promise<LedgerSpendOutcome>;
  abstract reserve(input: LedgerReserve): Promise<LedgerReserveOutcome>;
  /** Spends `amountMicros` (at most the hold) and frees the hold. */
  abstract commit(input: LedgerCommit): Promise<LedgerSettleOutcome>;
  abstract release(input: LedgerRelease): Promise<LedgerSettleOutcome>;
  /** Oldest first; `after` is an exclusive event id cursor. */
  abstract events(runId: string, options: { count: number; after?: string }): Promise<LedgerEvent[]>;
}

/** Fixed settings every ledger needs; the module derives them from its options. */
export interface LedgerSettings {
  /** A budget disappears this long after its last change (create/spend/reserve/commit/release). */
  budgetTtlMs: number;
  /** How long an idempotency key is remembered. */
  idempotencyTtlMs: number;
  /** Per-run event log cap (oldest entries are trimmed first). */
  eventsMaxLen: number;
}

export interface LedgerBudget {
  runId: string;
  limitMicros: number;
  spentMicros: number;
  reservedMicros: number;
  createdAtMs: number;
  updatedAtMs: number;
  expiresAtMs: number;
  /** Alert thresholds as parts per million of the limit, ascending. */
  thresholdsPpm: number[];
  /** How many of `thresholdsPpm` spent has reached (thresholds are ascending, so always a prefix). */
  crossedCount: number;
}

/** An alert decided inside the same atomic step as the change that caused it: fires once per run. */
export interface LedgerAlert {
  type: 'threshold_crossed' | 'budget_exceeded';
  thresholdPpm?: number;
  atMs: number;
}

export interface CreateLedgerBudget {
  runId: string;
  limitMicros: number;
  thresholdsPpm: number[];
}

export interface LedgerSpend {
  runId: string;
  amountMicros: number;
  allowOverage: boolean;
  /** `fingerprint` identifies the request body: same key + other fingerprint is IDEMPOTENCY_KEY_REUSED. */
  idempotency?: { key: string; fingerprint: string };
  /** A record of this call to file with it, in the same atomic step (stores that have streams only). */
  journal?: LedgerJournal;
}

/**
 * A caller's record of a spend (its audit event), filed by the ledger in the same atomic step as the
 * spend: it can neither be lost apart from the spend nor disagree with it, and costs no extra round trip.
 * The filed record is `head` with two more members: `outcome` (`ok`, or the refusal's code:
 * `BUDGET_EXCEEDED`, `BUDGET_NOT_FOUND`, `IDEMPOTENCY_KEY_REUSED`) and `data`: on `ok`, `amount`, the
 * members of `data` given here, `replayed` and the budget right after the spend (`limit`, `spent`,
 * `reserved`, `remaining`, `exceeded`, `state`, `thresholds_crossed`, in USD and fractions, the names the
 * HTTP API uses); on a refusal, `{}`.
 */
export interface LedgerJournal {
  /** The stream; its key carries the run's hash tag (`{<run id>}`), so it shares the budget's Cluster slot. */
  key: string;
  /** Every member of the record but `outcome` and `data` (at least one). */
  head: Record<string, unknown>;
  /** What the call asked for besides the amount. */
  data: Record<string, unknown>;
  maxLen: number;
  ttlMs: number;
  /**
   * Set by the ledger once the step has run, refused or not: the record is filed. A store that cannot
   * file records, or a step that never ran (the store unreachable), leaves it unset.
   */
  filed?: boolean;
}

export type LedgerSpendOutcome =
  | { kind: 'applied'; budget: LedgerBudget; alerts: LedgerAlert[] }
  | { kind: 'replayed'; budget: LedgerBudget }
  | { kind: 'exceeded'; budget: LedgerBudget };

export interface LedgerReserve {
  runId: string;
  reservationId: string;
  amountMicros: number;
  holdTtlMs: number;
}

export type LedgerReserveOutcome =
  { kind: 'reserved'; budget: LedgerBudget; hold: LedgerHold } | { kind: 'exceeded'; budget: LedgerBudget };

export interface LedgerCommit {
  runId: string;
  reservationId: string;
  amountMicros: number;
}

export interface LedgerRelease {
  runId: string;
  reservationId: string;
}

export interface LedgerHold {
  reservationId: string;
  state: 'held' | 'committed' | 'released' | 'expired';
  amountMicros: number;
  committedMicros?: number;
  expiresAtMs: number;
}

export interface LedgerSettleOutcome {
  budget: LedgerBudget;
  hold: LedgerHold;
  alerts: LedgerAlert[];
  /** Nothing changed: the same settle had already happened (or the hold had already expired, for release). */
  replayed: boolean;
}

export interface LedgerEvent {
  id: string;
  type: string;
  atMs: number;
  amountMicros?: number;
  spentMicros: number;
  reservedMicros: number;
  thresholdPpm?: number;
  reservationId?: string;
}
