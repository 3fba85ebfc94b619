import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { BudgetError, BudgetErrorCode } from '../budget.errors';
import type { BudgetService } from '../budget.service';
import { scopedRunId } from '../budget.validation';
import type { BudgetStatus, SpendResult } from '../budget.types';
import type { BudgetLedger, LedgerSettings } from '../ports/budget-ledger.port';
import { buildBudgetService, BudgetServiceOverrides } from './build-budget-service';
import { RecordingAlertChannel } from './recording-alert.channel';

/**
 * What the contract needs from a store: a ledger per call. Stores with
 * connections should open one per ledger, so the concurrency tests really
 * are several workers racing on one budget.
 */
export interface BudgetContractHarness {
  ledger(settings: LedgerSettings): BudgetLedger;
  close(): Promise<void>;
}

const SETTINGS: LedgerSettings = { budgetTtlMs: 3_600_000, idempotencyTtlMs: 86_400_000, eventsMaxLen: 1000 };

async function codeOf(promise: Promise<unknown>): Promise<BudgetErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BudgetError) return error.code;
    throw error;
  }
  throw new Error('expected a BudgetError');
}

async function errorOf(promise: Promise<unknown>): Promise<BudgetError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BudgetError) return error;
    throw error;
  }
  throw new Error('expected a BudgetError');
}

/** The same expectations for every BudgetLedger, exercised through BudgetService. */
export function describeBudgetContract(storeName: string, makeHarness: () => BudgetContractHarness): void {
  describe(`BudgetService contract over ${storeName}`, () => {
    let harness: BudgetContractHarness;
    let alerts: RecordingAlertChannel;
    let budget: BudgetService;
    const suiteTag = randomBytes(4).toString('hex');
    let counter = 0;
    const runId = (label = 'run') => `${label}-${suiteTag}-${(counter += 1)}`;

    /** `count` services, each over its own ledger (connection), reporting alerts to one recorder. */
    const workers = (count: number, overrides: BudgetServiceOverrides = {}, settings: Partial<LedgerSettings> = {}) =>
      Array.from({ length: count }, () =>
        buildBudgetService({ ledger: harness.ledger({ ...SETTINGS, ...settings }), channels: [alerts], ...overrides }),
      );

    beforeAll(() => {
      harness = makeHarness();
    });
    afterAll(async () => {
      await harness.close();
    });
    beforeEach(() => {
      alerts = new RecordingAlertChannel();
      [budget] = workers(1);
    });

    describe('the product example', () => {
      it('creates run-123 with 10.0, checks 0.05, spends 0.05 and reports the status', async () => {
        const id = runId('run-123');
        const created = await budget.createBudget(id, 10.0);
        expect(created).toMatchObject({
          runId: id,
          limit: 10,
          spent: 0,
          reserved: 0,
          remaining: 10,
          state: 'active',
          exceeded: false,
        });
        expect(await budget.checkCanSpend(id, 0.05)).toBe(true);
        const spent = await budget.spend(id, 0.05);
        expect(spent).toMatchObject({
          runId: id,
          limit: 10,
          spent: 0.05,
          remaining: 9.95,
          amount: 0.05,
          replayed: false,
        });
        const status = await budget.getStatus(id);
        expect(status).toMatchObject({
          limit: 10,
          spent: 0.05,
          remaining: 9.95,
          fractionUsed: 0.005,
          percentUsed: 0.5,
          state: 'active',
        });
        expect(status.expiresAt.getTime()).toBe(status.updatedAt.getTime() + SETTINGS.budgetTtlMs);
      });

      it('says "Budget not found for run_id: xyz" for every call on an unknown run, and never creates it', async () => {
        const id = runId('xyz');
        for (const call of [
          () => budget.spend(id, 0.05),
          () => budget.checkCanSpend(id, 0.05),
          () => budget.getStatus(id),
          () => budget.reserve(id, 0.05),
          () => budget.listEvents(id),
        ]) {
          const error = await errorOf(call());
          expect(error.code).toBe('BUDGET_NOT_FOUND');
          expect(error.message).toBe(`Budget not found for run_id: ${id}`);
        }
        const parallel = await Promise.all(Array.from({ length: 50 }, () => codeOf(budget.spend(id, 0.01))));
        expect(new Set(parallel)).toEqual(new Set(['BUDGET_NOT_FOUND']));
        expect(await codeOf(budget.getStatus(id))).toBe('BUDGET_NOT_FOUND');
      });
    });

    describe('create', () => {
      it('defaults the limit and the alert thresholds', async () => {
        const status = await budget.createBudget(runId());
        expect(status).toMatchObject({ limit: 10, alertThresholds: [0.5, 0.8, 1], thresholdsCrossed: [] });
      });

      it('refuses a limit above the maximum and a second budget for the same run', async () => {
        const id = runId();
        const tooHigh = await errorOf(budget.createBudget(id, 100.000001));
        expect(tooHigh.code).toBe('BUDGET_LIMIT_TOO_HIGH');
        expect(tooHigh.extensions).toMatchObject({ limit: 100.000001, maxLimit: 100 });
        await budget.createBudget(id, 100);
        await budget.spend(id, 1);
        expect(await codeOf(budget.createBudget(id, 100))).toBe('BUDGET_ALREADY_EXISTS');
        expect(await codeOf(budget.createBudget(id, 5))).toBe('BUDGET_ALREADY_EXISTS');
        expect((await budget.getStatus(id)).spent).toBe(1);
      });

      it('lets exactly one of many concurrent creates win', async () => {
        const id = runId();
        const results = await Promise.allSettled(
          workers(4).flatMap((worker) => Array.from({ length: 10 }, () => worker.createBudget(id, 2))),
        );
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const codes = results.flatMap((result) =>
          result.status === 'rejected' ? [(result.reason as BudgetError).code] : [],
        );
        expect(codes).toEqual(Array(39).fill('BUDGET_ALREADY_EXISTS'));
      });

      it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], [0.0000001], ['ten']])(
        'refuses limit %p',
        async (limit) => {
          const id = runId();
          expect(await codeOf(budget.createBudget(id, limit as number))).toBe('BUDGET_INVALID_AMOUNT');
          expect(await codeOf(budget.getStatus(id))).toBe('BUDGET_NOT_FOUND');
        },
      );

      it('refuses malformed run ids and thresholds', async () => {
        for (const bad of ['', 'has space', '{tag}', 'Acme/b', 'a/b/c', '/b', 'a/', 'x'.repeat(129), '-lead']) {
          expect(await codeOf(budget.createBudget(bad, 1))).toBe('BUDGET_INVALID_ARGUMENT');
        }
        for (const thresholds of [[0], [1.5], [0.5, 0.5], [0.1234567], Array(11).fill(0.1)]) {
          expect(await codeOf(budget.createBudget(runId(), 1, { alertThresholds: thresholds }))).toBe(
            'BUDGET_INVALID_ARGUMENT',
          );
        }
      });
    });

    describe('scoped run ids', () => {
      it('keeps the same run id of two scopes apart, and the bare id apart from both', async () => {
        const id = runId();
        await budget.createBudget(scopedRunId('acme', id), 2);
        await budget.createBudget(scopedRunId('globex', id), 3);
        await budget.spend(scopedRunId('acme', id), 0.5);
        expect((await budget.getStatus(scopedRunId('acme', id))).spent).toBe(0.5);
        expect((await budget.getStatus(scopedRunId('globex', id))).spent).toBe(0);
        expect(await codeOf(budget.getStatus(id))).toBe('BUDGET_NOT_FOUND');
      });

      it('will not let a run id name another scope', () => {
        expect(() => scopedRunId('globex', 'acme/run-1')).toThrow(BudgetError);
        expect(scopedRunId(undefined, 'run-1')).toBe('run-1');
      });
    });

    describe('money is exact', () => {
      it('ten spends of 0.1 give exactly 1 and exhaust a 1.00 budget', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        for (let i = 0; i < 10; i += 1) await budget.spend(id, 0.1);
        expect(await budget.getStatus(id)).toMatchObject({
          spent: 1,
          remaining: 0,
          spentMicros: 1_000_000,
          state: 'exhausted',
          percentUsed: 100,
        });
        expect(await codeOf(budget.spend(id, 0.000001))).toBe('BUDGET_EXCEEDED');
      });

      it('twenty spends of 0.05 fill 1.00 in full, three of 0.333333 give 0.999999', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        for (let i = 0; i < 20; i += 1) await budget.spend(id, 0.05);
        expect((await budget.getStatus(id)).spent).toBe(1);
        const thirds = runId();
        await budget.createBudget(thirds, 1);
        for (let i = 0; i < 3; i += 1) await budget.spend(thirds, 0.333333);
        expect(await budget.getStatus(thirds)).toMatchObject({ spent: 0.999999, remaining: 0.000001 });
      });

      it.each([
        [0],
        [-0.05],
        [Number.NaN],
        [Number.NEGATIVE_INFINITY],
        [0.0000001],
        [100.000001],
        ['abc'],
        [null],
        [true],
      ])('refuses amount %p and changes nothing', async (amount) => {
        const id = runId();
        await budget.createBudget(id, 1);
        const before = await budget.getStatus(id);
        for (const call of [
          () => budget.spend(id, amount as number),
          () => budget.checkCanSpend(id, amount as number),
          () => budget.reserve(id, amount as number),
        ]) {
          expect(await codeOf(call())).toBe('BUDGET_INVALID_AMOUNT');
        }
        expect(await budget.getStatus(id)).toEqual(before);
        expect((await budget.listEvents(id)).map((event) => event.type)).toEqual(['budget_created']);
      });
    });

    describe('spend', () => {
      it('refuses a spend that does not fit, says what remains, and records nothing', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        await budget.spend(id, 0.7);
        const before = await budget.getStatus(id);
        const error = await errorOf(budget.spend(id, 0.5));
        expect(error.code).toBe('BUDGET_EXCEEDED');
        expect(error.extensions).toEqual({ runId: id, amount: 0.5, limit: 1, spent: 0.7, reserved: 0, remaining: 0.3 });
        expect(await budget.getStatus(id)).toEqual(before);
        expect((await budget.listEvents(id)).map((event) => event.type)).toEqual([
          'budget_created',
          'spent',
          'threshold_crossed',
        ]);
      });

      it('records an overage when allowed, marks it exceeded and alerts once', async () => {
        const id = runId();
        await budget.createBudget(id, 1, { alertThresholds: [1] });
        await budget.spend(id, 0.9);
        const over = await budget.spend(id, 0.5, { allowOverage: true });
        expect(over).toMatchObject({
          spent: 1.4,
          remaining: 0,
          exceeded: true,
          state: 'exhausted',
          thresholdsCrossed: [1],
        });
        await budget.spend(id, 0.5, { allowOverage: true });
        await budget.drainAlerts();
        expect(alerts.forRun(id).map((alert) => [alert.type, alert.threshold])).toEqual([
          ['threshold_crossed', 1],
          ['budget_exceeded', undefined],
        ]);
        expect(await codeOf(budget.spend(id, 0.01))).toBe('BUDGET_EXCEEDED');
      });

      it('can-spend changes nothing and agrees with a lone spend', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        await budget.spend(id, 0.95);
        const before = await budget.getStatus(id);
        for (let i = 0; i < 100; i += 1) await budget.checkCanSpend(id, 0.05);
        expect(await budget.getStatus(id)).toEqual(before);
        expect(await budget.canSpend(id, 0.06)).toEqual({ runId: id, amount: 0.06, canSpend: false, remaining: 0.05 });
        expect(await codeOf(budget.spend(id, 0.06))).toBe('BUDGET_EXCEEDED');
        expect(await budget.checkCanSpend(id, 0.05)).toBe(true);
        await budget.spend(id, 0.05);
        expect(await budget.checkCanSpend(id, 0.000001)).toBe(false);
      });
    });

    describe('idempotency', () => {
      it('applies a key once and replays the first result, even after later spends', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        const first = await budget.spend(id, 0.2, { idempotencyKey: 'call-1' });
        await budget.spend(id, 0.3);
        const again = await budget.spend(id, 0.2, { idempotencyKey: 'call-1' });
        expect(again).toEqual({ ...first, replayed: true });
        expect((await budget.getStatus(id)).spent).toBe(0.5);
      });

      it('refuses the same key with a different body, and changes nothing', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        await budget.spend(id, 0.2, { idempotencyKey: 'k' });
        expect(await codeOf(budget.spend(id, 0.3, { idempotencyKey: 'k' }))).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(await codeOf(budget.spend(id, 0.2, { idempotencyKey: 'k', allowOverage: true }))).toBe(
          'IDEMPOTENCY_KEY_REUSED',
        );
        expect((await budget.getStatus(id)).spent).toBe(0.2);
      });

      it('scopes keys to the run, does not remember refused spends, and never alerts on a replay', async () => {
        const a = runId();
        const b = runId();
        await budget.createBudget(a, 1, { alertThresholds: [0.5] });
        await budget.createBudget(b, 1);
        await budget.spend(a, 0.6, { idempotencyKey: 'shared' });
        expect((await budget.spend(b, 0.6, { idempotencyKey: 'shared' })).replayed).toBe(false);
        expect((await budget.spend(a, 0.6, { idempotencyKey: 'shared' })).replayed).toBe(true);
        expect(await codeOf(budget.spend(b, 0.6, { idempotencyKey: 'refused' }))).toBe('BUDGET_EXCEEDED');
        expect(await budget.spend(b, 0.4, { idempotencyKey: 'refused' })).toMatchObject({ spent: 1, replayed: false });
        await budget.drainAlerts();
        expect(alerts.forRun(a)).toHaveLength(1);
      });

      it('refuses malformed keys', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        for (const key of ['', 'with space', 'x'.repeat(256), 'é']) {
          expect(await codeOf(budget.spend(id, 0.1, { idempotencyKey: key }))).toBe('BUDGET_INVALID_ARGUMENT');
        }
      });
    });

    describe('alerts', () => {
      it('fires every threshold one spend jumps over, once each, from that spend', async () => {
        const id = runId();
        await budget.createBudget(id, 10);
        const jump = await budget.spend(id, 8.5);
        expect(jump).toMatchObject({ state: 'warning', thresholdsCrossed: [0.5, 0.8] });
        await budget.spend(id, 0.5);
        await budget.spend(id, 1);
        await budget.drainAlerts();
        expect(alerts.forRun(id).map((alert) => [alert.threshold, alert.spent])).toEqual([
          [0.5, 8.5],
          [0.8, 8.5],
          [1, 10],
        ]);
        const ids = alerts.forRun(id).map((alert) => alert.alertId);
        expect(new Set(ids).size).toBe(3);
        const events = await budget.listEvents(id);
        expect(events.filter((event) => event.type === 'threshold_crossed').map((event) => event.threshold)).toEqual([
          0.5, 0.8, 1,
        ]);
      });

      it('a threshold crossed by a concurrent burst fires exactly once', async () => {
        const id = runId();
        const pool = workers(4);
        await pool[0].createBudget(id, 1);
        const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => pool[i % 4].spend(id, 0.01)));
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(100);
        await Promise.all(pool.map((worker) => worker.drainAlerts()));
        expect(
          alerts
            .forRun(id)
            .map((alert) => alert.threshold)
            .sort(),
        ).toEqual([0.5, 0.8, 1]);
        const crossed = (await budget.listEvents(id, { limit: 1000 })).filter(
          (event) => event.type === 'threshold_crossed',
        );
        expect(crossed.map((event) => [event.threshold, event.spent])).toEqual([
          [0.5, 0.5],
          [0.8, 0.8],
          [1, 1],
        ]);
      });
    });

    describe('concurrency', () => {
      it('200 parallel spends of 0.05 against 1.00: exactly 20 accepted, 180 refused, spent 1', async () => {
        const id = runId();
        const pool = workers(4);
        await pool[0].createBudget(id, 1);
        const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => pool[i % 4].spend(id, 0.05)));
        const accepted = results.filter(
          (result): result is PromiseFulfilledResult<SpendResult> => result.status === 'fulfilled',
        );
        const refused = results.flatMap((result) =>
          result.status === 'rejected' ? [(result.reason as BudgetError).code] : [],
        );
        expect(accepted).toHaveLength(20);
        expect(refused).toEqual(Array(180).fill('BUDGET_EXCEEDED'));
        expect(accepted.every((result) => result.value.spent <= 1 && result.value.remaining >= 0)).toBe(true);
        expect(new Set(accepted.map((result) => result.value.spentMicros)).size).toBe(20);
        expect(await budget.getStatus(id)).toMatchObject({ spent: 1, remaining: 0, spentMicros: 1_000_000 });
      });

      it('500 parallel retries of one idempotent spend apply it once', async () => {
        const id = runId();
        const pool = workers(4);
        await pool[0].createBudget(id, 1);
        const results = await Promise.all(
          Array.from({ length: 500 }, (_, i) => pool[i % 4].spend(id, 0.05, { idempotencyKey: 'retry-me' })),
        );
        expect(results.filter((result) => !result.replayed)).toHaveLength(1);
        expect(new Set(results.map((result) => result.spent))).toEqual(new Set([0.05]));
        expect((await budget.getStatus(id)).spent).toBe(0.05);
        expect((await budget.listEvents(id)).filter((event) => event.type === 'spent')).toHaveLength(1);
      });

      it('concurrent reservations never exceed the limit, and holds block spends', async () => {
        const id = runId();
        const pool = workers(4);
        await pool[0].createBudget(id, 1);
        const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => pool[i % 4].reserve(id, 0.05)));
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(20);
        expect(await budget.getStatus(id)).toMatchObject({ spent: 0, reserved: 1, remaining: 0 });
        expect(await codeOf(budget.spend(id, 0.01))).toBe('BUDGET_EXCEEDED');
      });

      it('concurrent readers never see spent above the limit', async () => {
        const id = runId();
        const pool = workers(3);
        await pool[0].createBudget(id, 1);
        let spending = true;
        const seen: BudgetStatus[] = [];
        const poller = (async () => {
          while (spending) seen.push(await pool[2].getStatus(id));
        })();
        await Promise.allSettled(Array.from({ length: 300 }, (_, i) => pool[i % 2].spend(id, 0.01)));
        spending = false;
        await poller;
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.filter((status) => status.spentMicros > status.limitMicros || status.remaining < 0)).toEqual([]);
      });

      it('keeps many runs apart under parallel load', async () => {
        const ids = Array.from({ length: 20 }, () => runId('iso'));
        const pool = workers(4);
        await Promise.all(ids.map((id) => pool[0].createBudget(id, 1)));
        await Promise.allSettled(
          ids.flatMap((id, r) => Array.from({ length: 30 }, (_, i) => pool[(r + i) % 4].spend(id, 0.1))),
        );
        const statuses = await Promise.all(ids.map((id) => budget.getStatus(id)));
        expect(statuses.map((status) => status.spent)).toEqual(Array(20).fill(1));
      });
    });

    describe('reservations', () => {
      it('reserve → commit spends at most the hold and frees it; repeating the commit changes nothing', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        const hold = await budget.reserve(id, 0.6, { ttlSeconds: 60 });
        expect(hold).toMatchObject({ runId: id, amount: 0.6, status: 'held' });
        expect(await budget.getStatus(id)).toMatchObject({ reserved: 0.6, remaining: 0.4 });
        expect(await codeOf(budget.spend(id, 0.5))).toBe('BUDGET_EXCEEDED');
        expect(await codeOf(budget.commitReservation(hold.reservationId, 0.7))).toBe('RESERVATION_AMOUNT_EXCEEDED');
        const settled = await budget.commitReservation(hold.reservationId, 0.45);
        expect(settled.reservation).toMatchObject({ status: 'committed', amount: 0.6, committedAmount: 0.45 });
        expect(settled.budget).toMatchObject({ spent: 0.45, reserved: 0, remaining: 0.55 });
        expect(settled.replayed).toBe(false);
        const again = await budget.commitReservation(hold.reservationId, 0.45);
        expect(again.replayed).toBe(true);
        expect(again.budget.spent).toBe(0.45);
        expect(await codeOf(budget.commitReservation(hold.reservationId, 0.4))).toBe('RESERVATION_ALREADY_SETTLED');
        expect(await codeOf(budget.releaseReservation(hold.reservationId))).toBe('RESERVATION_ALREADY_SETTLED');
      });

      it('release frees the hold once; a released hold cannot be committed', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        const hold = await budget.reserve(id, 0.6);
        const released = await budget.releaseReservation(hold.reservationId);
        expect(released.reservation.status).toBe('released');
        expect(released.budget).toMatchObject({ reserved: 0, remaining: 1 });
        expect((await budget.releaseReservation(hold.reservationId)).replayed).toBe(true);
        expect(await codeOf(budget.commitReservation(hold.reservationId, 0.1))).toBe('RESERVATION_ALREADY_SETTLED');
        expect((await budget.getStatus(id)).remaining).toBe(1);
      });

      it('an expired hold frees itself before the next decision', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        const hold = await budget.reserveFor(id, 900_000, 150);
        expect(await codeOf(budget.spend(id, 0.2))).toBe('BUDGET_EXCEEDED');
        await sleep(250);
        expect(await budget.getStatus(id)).toMatchObject({ reserved: 0, remaining: 1 });
        expect(await budget.spend(id, 0.2)).toMatchObject({ spent: 0.2 });
        expect(await codeOf(budget.commitReservation(hold.reservationId, 0.1))).toBe('RESERVATION_EXPIRED');
        const release = await budget.releaseReservation(hold.reservationId);
        expect(release).toMatchObject({ replayed: true, reservation: { status: 'expired' } });
        expect((await budget.getStatus(id)).spent).toBe(0.2);
        expect((await budget.listEvents(id)).map((event) => event.type)).toContain('reservation_expired');
      });

      it('refuses unknown and malformed reservation ids', async () => {
        const id = runId();
        await budget.createBudget(id, 1);
        const hold = await budget.reserve(id, 0.1);
        const foreign = hold.reservationId.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAA');
        for (const bad of [foreign, 'rsv.bm9wZQ.AAAAAAAAAAAAAAAA', 'nope', 'rsv..x', '']) {
          const code = await codeOf(budget.commitReservation(bad, 0.1));
          expect(['RESERVATION_NOT_FOUND', 'BUDGET_NOT_FOUND']).toContain(code);
        }
        expect(await codeOf(budget.commitReservation(foreign, 0.1))).toBe('RESERVATION_NOT_FOUND');
        expect(await codeOf(budget.reserve(id, 0.1, { ttlSeconds: 0 }))).toBe('BUDGET_INVALID_ARGUMENT');
      });
    });

    describe('events and expiry', () => {
      it('lists a run’s events in order and pages with `after`', async () => {
        const id = runId();
        await budget.createBudget(id, 1, { alertThresholds: [] });
        await budget.spend(id, 0.1);
        const hold = await budget.reserve(id, 0.2);
        await budget.commitReservation(hold.reservationId, 0.15);
        const events = await budget.listEvents(id);
        expect(events.map((event) => [event.type, event.amount, event.spent, event.reserved])).toEqual([
          ['budget_created', 1, 0, 0],
          ['spent', 0.1, 0.1, 0],
          ['reserved', 0.2, 0.1, 0.2],
          ['committed', 0.15, 0.25, 0],
        ]);
        expect(events[3].reservationId).toBe(hold.reservationId);
        const page = await budget.listEvents(id, { after: events[1].id, limit: 1 });
        expect(page.map((event) => event.type)).toEqual(['reserved']);
        expect(await codeOf(budget.listEvents(id, { after: 'garbage' }))).toBe('BUDGET_INVALID_ARGUMENT');
      });

      it('keeps a budget alive while it is used, drops it after the TTL of idleness, and never resurrects it', async () => {
        const [short] = workers(1, {}, { budgetTtlMs: 400 });
        const id = runId();
        await short.createBudget(id, 1);
        for (let i = 0; i < 3; i += 1) {
          await sleep(200);
          await short.spend(id, 0.1, { idempotencyKey: `k${i}` });
        }
        expect((await short.getStatus(id)).spent).toBe(0.3);
        await sleep(550);
        expect(await codeOf(short.getStatus(id))).toBe('BUDGET_NOT_FOUND');
        expect(await codeOf(short.spend(id, 0.1))).toBe('BUDGET_NOT_FOUND');
        await short.createBudget(id, 1);
        // An idempotency key of the old budget must not replay into the new one.
        expect(await short.spend(id, 0.1, { idempotencyKey: 'k0' })).toMatchObject({ replayed: false, spent: 0.1 });
      });
    });
  });
}
