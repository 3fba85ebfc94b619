import type { Cluster, Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { BudgetError, budgetNotFound } from '../budget.errors';
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
  LedgerJournal,
  LedgerRelease,
  LedgerReserve,
  LedgerReserveOutcome,
  LedgerSettings,
  LedgerSettleOutcome,
  LedgerSpend,
  LedgerSpendOutcome,
} from '../ports/budget-ledger.port';
import { runKeys } from './redis-budget.keys';
import {
  COMMIT_SCRIPT,
  CREATE_SCRIPT,
  EVENTS_SCRIPT,
  RELEASE_SCRIPT,
  RESERVE_SCRIPT,
  SPEND_SCRIPT,
  STATUS_SCRIPT,
} from './redis-budget.scripts';
import { callRedis } from './redis-call';

export interface RedisBudgetLedgerSettings extends LedgerSettings {
  /** Prefix of every key; the run id goes inside `{}` after it (the Cluster hash tag). */
  keyPrefix: string;
  /** A call that has not answered by then fails with DEPENDENCY_UNAVAILABLE. */
  commandTimeoutMs: number;
}

type Reply = [string, ...unknown[]];
type ScriptFn = (...args: (string | number)[]) => Promise<Reply>;

/** ioredis command names; prefixed so they cannot clash with other libs defining scripts on the shared client. */
const COMMANDS = {
  safetyBudgetCreate: { lua: CREATE_SCRIPT, keys: 4 },
  safetyBudgetStatus: { lua: STATUS_SCRIPT, keys: 4 },
  safetyBudgetSpend: { lua: SPEND_SCRIPT, keys: 5 },
  // The same script with the journal's stream as a sixth key (ioredis fixes a command's key count).
  safetyBudgetSpendJournaled: { lua: SPEND_SCRIPT, keys: 6 },
  safetyBudgetReserve: { lua: RESERVE_SCRIPT, keys: 4 },
  safetyBudgetCommit: { lua: COMMIT_SCRIPT, keys: 4 },
  safetyBudgetRelease: { lua: RELEASE_SCRIPT, keys: 4 },
  safetyBudgetEvents: { lua: EVENTS_SCRIPT, keys: 4 },
} as const;
type CommandName = keyof typeof COMMANDS;

/**
 * Budgets in Redis. Each operation is one EVALSHA of a script defined once on
 * the client (ioredis falls back to EVAL after a restart flushed the script
 * cache), so a spend is one round trip and atomic. Failures to reach Redis
 * become DEPENDENCY_UNAVAILABLE within `commandTimeoutMs`; there is no
 * fallback of any kind.
 */
export class RedisBudgetLedger extends BudgetLedger {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly settings: RedisBudgetLedgerSettings,
  ) {
    super();
    for (const [name, { lua, keys }] of Object.entries(COMMANDS)) {
      redis.defineCommand(name, { lua, numberOfKeys: keys });
    }
  }

  async create(input: CreateLedgerBudget): Promise<LedgerBudget> {
    const keys = this.keys(input.runId);
    const reply = await this.call(
      'safetyBudgetCreate',
      ...keys,
      input.limitMicros,
      input.thresholdsPpm.map((ppm) => thresholdMicros(input.limitMicros, ppm)).join(','),
      input.thresholdsPpm.join(','),
      randomBytes(8).toString('hex'),
      this.settings.budgetTtlMs,
      this.settings.eventsMaxLen,
    );
    if (reply[0] === 'BUDGET_ALREADY_EXISTS') throw budgetAlreadyExists(input.runId);
    return this.budgetFrom(input.runId, this.expectStatus(reply, input.runId));
  }

  async get(runId: string): Promise<LedgerBudget> {
    const reply = await this.call('safetyBudgetStatus', ...this.keys(runId), this.settings.eventsMaxLen);
    return this.budgetFrom(runId, this.expectStatus(reply, runId));
  }

  async spend(input: LedgerSpend): Promise<LedgerSpendOutcome> {
    const idempotencyKey = input.idempotency
      ? runKeys(this.settings.keyPrefix, input.runId).idempotency(input.idempotency.key)
      : '';
    const journal = input.journal;
    const spend: (string | number)[] = [
      ...this.keys(input.runId),
      // Without a key the slot still needs a same-tag key name; the script never touches it.
      idempotencyKey || runKeys(this.settings.keyPrefix, input.runId).idempotency(''),
    ];
    if (journal) spend.push(journalKey(journal, input.runId));
    spend.push(
      input.amountMicros,
      input.allowOverage ? '1' : '0',
      input.idempotency?.fingerprint ?? '',
      this.settings.idempotencyTtlMs,
      this.settings.budgetTtlMs,
      this.settings.eventsMaxLen,
    );
    if (journal)
      spend.push(
        JSON.stringify(journal.head),
        JSON.stringify(journal.data).slice(1, -1),
        journal.maxLen,
        journal.ttlMs,
      );
    const reply = await this.call(journal ? 'safetyBudgetSpendJournaled' : 'safetyBudgetSpend', ...spend);
    if (journal) journal.filed = true;
    const code = reply[0];
    if (code === 'IDEMPOTENCY_KEY_REUSED') throw idempotencyKeyReused(input.idempotency?.key ?? '');
    const budget = this.budgetFrom(input.runId, this.expectStatus(reply, input.runId));
    if (code === 'BUDGET_EXCEEDED') return { kind: 'exceeded', budget };
    if (code === 'REPLAYED') return { kind: 'replayed', budget };
    return { kind: 'applied', budget, alerts: alertsFrom(reply[8], reply[9], budget.updatedAtMs) };
  }

  async reserve(input: LedgerReserve): Promise<LedgerReserveOutcome> {
    const reply = await this.call(
      'safetyBudgetReserve',
      ...this.keys(input.runId),
      input.amountMicros,
      input.reservationId,
      input.holdTtlMs,
      this.settings.budgetTtlMs,
      this.settings.eventsMaxLen,
    );
    const budget = this.budgetFrom(input.runId, this.expectStatus(reply, input.runId));
    if (reply[0] === 'BUDGET_EXCEEDED') return { kind: 'exceeded', budget };
    return { kind: 'reserved', budget, hold: holdFrom(input.reservationId, reply[8]) };
  }

  async commit(input: LedgerCommit): Promise<LedgerSettleOutcome> {
    const reply = await this.call(
      'safetyBudgetCommit',
      ...this.keys(input.runId),
      input.reservationId,
      input.amountMicros,
      this.settings.budgetTtlMs,
      this.settings.eventsMaxLen,
    );
    this.throwReservationRejection(reply, input.reservationId);
    const budget = this.budgetFrom(input.runId, this.expectStatus(reply, input.runId));
    return {
      budget,
      hold: holdFrom(input.reservationId, reply[8]),
      alerts: alertsFrom(reply[9], reply[10], budget.updatedAtMs),
      replayed: reply[0] === 'REPLAYED',
    };
  }

  async release(input: LedgerRelease): Promise<LedgerSettleOutcome> {
    const reply = await this.call(
      'safetyBudgetRelease',
      ...this.keys(input.runId),
      input.reservationId,
      this.settings.budgetTtlMs,
      this.settings.eventsMaxLen,
    );
    this.throwReservationRejection(reply, input.reservationId);
    const budget = this.budgetFrom(input.runId, this.expectStatus(reply, input.runId));
    return { budget, hold: holdFrom(input.reservationId, reply[8]), alerts: [], replayed: reply[0] === 'REPLAYED' };
  }

  async events(runId: string, options: { count: number; after?: string }): Promise<LedgerEvent[]> {
    const reply = await this.call(
      'safetyBudgetEvents',
      ...this.keys(runId),
      options.after ?? '',
      options.count,
      this.settings.eventsMaxLen,
    );
    this.expectStatus(reply, runId);
    return (reply[8] as [string, string[]][]).map(([id, fields]) => eventFrom(id, fields));
  }

  private keys(runId: string): [string, string, string, string] {
    const keys = runKeys(this.settings.keyPrefix, runId);
    return [keys.budget, keys.holds, keys.reservations, keys.events];
  }

  private call(name: CommandName, ...args: (string | number)[]): Promise<Reply> {
    const command = (this.redis as unknown as Record<CommandName, ScriptFn>)[name].bind(this.redis);
    return callRedis(() => command(...args), this.settings.commandTimeoutMs);
  }

  /** Status-carrying replies return the tuple; anything else here is "no such budget". */
  private expectStatus(reply: Reply, runId: string): string[] {
    if (reply[0] === 'BUDGET_NOT_FOUND') throw budgetNotFound(runId);
    if (reply.length < 8)
      throw new BudgetError('DEPENDENCY_UNAVAILABLE', `Unexpected budget store reply ${String(reply[0])}.`);
    return reply.slice(1, 8) as string[];
  }

  private throwReservationRejection(reply: Reply, reservationId: string): void {
    const [code, rawHold] = reply;
    if (code === 'RESERVATION_NOT_FOUND') throw reservationNotFound(reservationId);
    if (code === 'RESERVATION_EXPIRED') throw reservationExpired(holdFrom(reservationId, rawHold));
    if (code === 'RESERVATION_ALREADY_SETTLED') throw reservationAlreadySettled(holdFrom(reservationId, rawHold));
    if (code === 'RESERVATION_AMOUNT_EXCEEDED') throw reservationAmountExceeded(holdFrom(reservationId, rawHold));
  }

  private budgetFrom(runId: string, [l, s, r, c, u, tp, x]: string[]): LedgerBudget {
    const updatedAtMs = Number(u);
    return {
      runId,
      limitMicros: Number(l),
      spentMicros: Number(s),
      reservedMicros: Number(r),
      createdAtMs: Number(c),
      updatedAtMs,
      expiresAtMs: updatedAtMs + this.settings.budgetTtlMs,
      thresholdsPpm: tp ? tp.split(',').map(Number) : [],
      crossedCount: Number(x),
    };
  }
}

/** The journal's stream must live in the run's slot, or the script could not touch it on Redis Cluster. */
function journalKey(journal: LedgerJournal, runId: string): string {
  if (!journal.key.includes(`{${runId}}`) || Object.keys(journal.head).length === 0) {
    throw new BudgetError('BUDGET_INVALID_ARGUMENT', `A journal needs a head and a key tagged {${runId}}.`);
  }
  return journal.key;
}

function holdFrom(reservationId: string, raw: unknown): LedgerHold {
  const [state, held, expires, committed] = raw as [LedgerHold['state'], string, string, string];
  return {
    reservationId,
    state,
    amountMicros: Number(held),
    expiresAtMs: Number(expires),
    ...(state === 'committed' ? { committedMicros: Number(committed) } : {}),
  };
}

function alertsFrom(fired: unknown, exceeded: unknown, atMs: number): LedgerAlert[] {
  const alerts: LedgerAlert[] = ((fired as string[] | undefined) ?? []).map((ppm) => ({
    type: 'threshold_crossed',
    thresholdPpm: Number(ppm),
    atMs,
  }));
  if (exceeded === '1') alerts.push({ type: 'budget_exceeded', atMs });
  return alerts;
}

function eventFrom(id: string, flat: string[]): LedgerEvent {
  const fields = new Map<string, string>();
  for (let i = 0; i < flat.length; i += 2) fields.set(flat[i], flat[i + 1]);
  const number = (name: string) => (fields.has(name) ? Number(fields.get(name)) : undefined);
  return {
    id,
    type: fields.get('t') ?? 'unknown',
    atMs: Number(id.split('-')[0]),
    amountMicros: number('a'),
    spentMicros: number('s') ?? 0,
    reservedMicros: number('r') ?? 0,
    thresholdPpm: number('th'),
    reservationId: fields.get('rid'),
  };
}
