import { randomBytes } from 'node:crypto';
import { budgetNotFound } from '../budget.errors';
import {
  budgetAlreadyExists,
  idempotencyKeyReused,
  reservationAlreadySettled,
  reservationAmountExceeded,
  reservationExpired,
  reservationNotFound,
  thresholdMicros,
} from '../ledger-rules';
import {
  BudgetLedger,
  CreateLedgerBudget,
  LedgerAlert,
  LedgerBudget,
  LedgerCommit,
  LedgerEvent,
  LedgerHold,
  LedgerRelease,
  LedgerReserve,
  LedgerReserveOutcome,
  LedgerSettings,
  LedgerSettleOutcome,
  LedgerSpend,
  LedgerSpendOutcome,
} from '../ports/budget-ledger.port';

interface Entry {
  runId: string;
  generation: string;
  limit: number;
  spent: number;
  reserved: number;
  createdAtMs: number;
  updatedAtMs: number;
  thresholdsPpm: number[];
  thresholdsMicros: number[];
  crossed: number;
  overFired: boolean;
  holds: Map<string, LedgerHold>;
  events: LedgerEvent[];
  idempotency: Map<string, { fingerprint: string; snapshot: LedgerBudget; expiresAtMs: number }>;
}

/**
 * The embedded ledger: same rules as RedisBudgetLedger (the contract suite
 * runs against both), for one process. Each method runs to completion
 * without awaiting, which is what makes it atomic on Node's single thread.
 * Not durable and not shared between instances.
 */
export class InMemoryBudgetLedger extends BudgetLedger {
  private readonly budgets = new Map<string, Entry>();
  private lastSweepMs = 0;
  private eventSeq = 0;
  private lastEventMs = 0;

  constructor(
    private readonly settings: LedgerSettings,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async create(input: CreateLedgerBudget): Promise<LedgerBudget> {
    const now = this.now();
    if (this.live(input.runId, now)) throw budgetAlreadyExists(input.runId);
    const entry: Entry = {
      runId: input.runId,
      generation: randomBytes(8).toString('hex'),
      limit: input.limitMicros,
      spent: 0,
      reserved: 0,
      createdAtMs: now,
      updatedAtMs: now,
      thresholdsPpm: [...input.thresholdsPpm],
      thresholdsMicros: input.thresholdsPpm.map((ppm) => thresholdMicros(input.limitMicros, ppm)),
      crossed: 0,
      overFired: false,
      holds: new Map(),
      events: [],
      idempotency: new Map(),
    };
    this.budgets.set(input.runId, entry);
    this.event(entry, now, { type: 'budget_created', amountMicros: input.limitMicros });
    return this.view(entry);
  }

  async get(runId: string): Promise<LedgerBudget> {
    const now = this.now();
    const entry = this.require(runId, now);
    this.reclaim(entry, now);
    return this.view(entry);
  }

  async spend(input: LedgerSpend): Promise<LedgerSpendOutcome> {
    const now = this.now();
    const entry = this.require(input.runId, now);
    if (input.idempotency) {
      const record = entry.idempotency.get(input.idempotency.key);
      if (record && record.expiresAtMs > now) {
        if (record.fingerprint !== input.idempotency.fingerprint) throw idempotencyKeyReused(input.idempotency.key);
        return { kind: 'replayed', budget: { ...record.snapshot } };
      }
    }
    this.reclaim(entry, now);
    if (!input.allowOverage && entry.spent + entry.reserved + input.amountMicros > entry.limit) {
      return { kind: 'exceeded', budget: this.view(entry) };
    }
    entry.spent += input.amountMicros;
    entry.updatedAtMs = now;
    this.event(entry, now, { type: 'spent', amountMicros: input.amountMicros });
    const alerts = this.fireAlerts(entry, now);
    const budget = this.view(entry);
    if (input.idempotency) {
      entry.idempotency.set(input.idempotency.key, {
        fingerprint: input.idempotency.fingerprint,
        snapshot: budget,
        expiresAtMs: now + this.settings.idempotencyTtlMs,
      });
    }
    return { kind: 'applied', budget: { ...budget }, alerts };
  }

  async reserve(input: LedgerReserve): Promise<LedgerReserveOutcome> {
    const now = this.now();
    const entry = this.require(input.runId, now);
    this.reclaim(entry, now);
    if (entry.spent + entry.reserved + input.amountMicros > entry.limit)
      return { kind: 'exceeded', budget: this.view(entry) };
    const hold: LedgerHold = {
      reservationId: input.reservationId,
      state: 'held',
      amountMicros: input.amountMicros,
      expiresAtMs: now + input.holdTtlMs,
    };
    entry.holds.set(input.reservationId, hold);
    entry.reserved += input.amountMicros;
    entry.updatedAtMs = now;
    this.event(entry, now, { type: 'reserved', amountMicros: input.amountMicros, reservationId: input.reservationId });
    return { kind: 'reserved', budget: this.view(entry), hold: { ...hold } };
  }

  async commit(input: LedgerCommit): Promise<LedgerSettleOutcome> {
    const now = this.now();
    const entry = this.require(input.runId, now);
    this.reclaim(entry, now);
    const hold = entry.holds.get(input.reservationId);
    if (!hold) throw reservationNotFound(input.reservationId);
    if (hold.state === 'expired') throw reservationExpired(hold);
    if (hold.state === 'released') throw reservationAlreadySettled(hold);
    if (hold.state === 'committed') {
      if (hold.committedMicros !== input.amountMicros) throw reservationAlreadySettled(hold);
      return { budget: this.view(entry), hold: { ...hold }, alerts: [], replayed: true };
    }
    if (input.amountMicros > hold.amountMicros) throw reservationAmountExceeded(hold);
    entry.reserved -= hold.amountMicros;
    entry.spent += input.amountMicros;
    entry.updatedAtMs = now;
    hold.state = 'committed';
    hold.committedMicros = input.amountMicros;
    this.event(entry, now, { type: 'committed', amountMicros: input.amountMicros, reservationId: hold.reservationId });
    const alerts = this.fireAlerts(entry, now);
    return { budget: this.view(entry), hold: { ...hold }, alerts, replayed: false };
  }

  async release(input: LedgerRelease): Promise<LedgerSettleOutcome> {
    const now = this.now();
    const entry = this.require(input.runId, now);
    this.reclaim(entry, now);
    const hold = entry.holds.get(input.reservationId);
    if (!hold) throw reservationNotFound(input.reservationId);
    if (hold.state === 'committed') throw reservationAlreadySettled(hold);
    if (hold.state !== 'held') return { budget: this.view(entry), hold: { ...hold }, alerts: [], replayed: true };
    entry.reserved -= hold.amountMicros;
    entry.updatedAtMs = now;
    hold.state = 'released';
    this.event(entry, now, { type: 'released', amountMicros: hold.amountMicros, reservationId: hold.reservationId });
    return { budget: this.view(entry), hold: { ...hold }, alerts: [], replayed: false };
  }

  async events(runId: string, options: { count: number; after?: string }): Promise<LedgerEvent[]> {
    const now = this.now();
    const entry = this.require(runId, now);
    this.reclaim(entry, now);
    const start = options.after
      ? entry.events.findIndex((event) => compareIds(event.id, options.after as string) > 0)
      : 0;
    if (start < 0) return [];
    return entry.events.slice(start, start + options.count).map((event) => ({ ...event }));
  }

  private require(runId: string, now: number): Entry {
    const entry = this.live(runId, now);
    if (!entry) throw budgetNotFound(runId);
    return entry;
  }

  /** The run's budget unless its TTL has run out since its last change; expired ones are dropped on sight. */
  private live(runId: string, now: number): Entry | undefined {
    this.sweep(now);
    const entry = this.budgets.get(runId);
    if (entry && entry.updatedAtMs + this.settings.budgetTtlMs <= now) {
      this.budgets.delete(runId);
      return undefined;
    }
    return entry;
  }

  /** Bounds memory: budgets nobody touches again are dropped at most a minute after they expire. */
  private sweep(now: number): void {
    if (now - this.lastSweepMs < 60_000) return;
    this.lastSweepMs = now;
    for (const [runId, entry] of this.budgets) {
      if (entry.updatedAtMs + this.settings.budgetTtlMs <= now) this.budgets.delete(runId);
      for (const [key, record] of entry.idempotency) if (record.expiresAtMs <= now) entry.idempotency.delete(key);
    }
  }

  private reclaim(entry: Entry, now: number): void {
    for (const hold of entry.holds.values()) {
      if (hold.state !== 'held' || hold.expiresAtMs > now) continue;
      hold.state = 'expired';
      entry.reserved -= hold.amountMicros;
      this.event(entry, now, {
        type: 'reservation_expired',
        amountMicros: hold.amountMicros,
        reservationId: hold.reservationId,
      });
    }
  }

  private fireAlerts(entry: Entry, now: number): LedgerAlert[] {
    const alerts: LedgerAlert[] = [];
    while (entry.crossed < entry.thresholdsMicros.length && entry.spent >= entry.thresholdsMicros[entry.crossed]) {
      const thresholdPpm = entry.thresholdsPpm[entry.crossed];
      entry.crossed += 1;
      this.event(entry, now, { type: 'threshold_crossed', thresholdPpm });
      alerts.push({ type: 'threshold_crossed', thresholdPpm, atMs: now });
    }
    if (!entry.overFired && entry.spent > entry.limit) {
      entry.overFired = true;
      this.event(entry, now, { type: 'budget_exceeded' });
      alerts.push({ type: 'budget_exceeded', atMs: now });
    }
    return alerts;
  }

  private event(
    entry: Entry,
    now: number,
    event: Pick<LedgerEvent, 'type' | 'amountMicros' | 'thresholdPpm' | 'reservationId'>,
  ): void {
    // Same id scheme as a Redis stream: ms-seq, strictly increasing.
    const ms = Math.max(now, this.lastEventMs);
    this.eventSeq = ms === this.lastEventMs ? this.eventSeq + 1 : 0;
    this.lastEventMs = ms;
    entry.events.push({
      id: `${ms}-${this.eventSeq}`,
      atMs: now,
      spentMicros: entry.spent,
      reservedMicros: entry.reserved,
      ...event,
    });
    if (entry.events.length > this.settings.eventsMaxLen)
      entry.events.splice(0, entry.events.length - this.settings.eventsMaxLen);
  }

  private view(entry: Entry): LedgerBudget {
    return {
      runId: entry.runId,
      limitMicros: entry.limit,
      spentMicros: entry.spent,
      reservedMicros: entry.reserved,
      createdAtMs: entry.createdAtMs,
      updatedAtMs: entry.updatedAtMs,
      expiresAtMs: entry.updatedAtMs + this.settings.budgetTtlMs,
      thresholdsPpm: [...entry.thresholdsPpm],
      crossedCount: entry.crossed,
    };
  }
}

function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
}
