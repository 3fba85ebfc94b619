import Redis from 'ioredis';
import { removeDir, startRedisServer, TestRedisServer } from '../../../../test/support/redis-server';
import { BudgetAlertDispatcher } from '../alerts/budget-alert.dispatcher';
import { BudgetError } from '../budget.errors';
import type { BudgetService } from '../budget.service';
import { buildBudgetService } from '../testing/build-budget-service';
import { alertStreamKey, runKeys } from './redis-budget.keys';
import { RedisBudgetLedger } from './redis-budget.ledger';
import { RedisStreamAlertChannel } from './redis-stream-alert.channel';

// ioredis' own slot function (a dependency of ioredis), so the test uses exactly the client's hashing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const calculateSlot = require('cluster-key-slot') as (key: string) => number;

/** Behaviour only the Redis store has: round trips, Cluster slots, the alert stream, and failing closed. Own server, so counters are ours. */
const SETTINGS = {
  budgetTtlMs: 3_600_000,
  idempotencyTtlMs: 86_400_000,
  eventsMaxLen: 1000,
  keyPrefix: 'safety:budget',
  commandTimeoutMs: 900,
};

describe('RedisBudgetLedger on its own redis-server', () => {
  let server: TestRedisServer;
  let client: Redis;
  let budget: BudgetService;

  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (n) => Math.min(n * 50, 500),
    });
    await new Promise((resolve) => client.once('ready', resolve));
    const channel = new RedisStreamAlertChannel(client, {
      keyPrefix: SETTINGS.keyPrefix,
      maxLen: 1000,
      commandTimeoutMs: 900,
    });
    budget = buildBudgetService({ ledger: new RedisBudgetLedger(client, SETTINGS), channels: [channel] });
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop('SIGKILL');
    if (server) removeDir(server.dir);
  });

  const evalshaCalls = async (): Promise<number> => {
    const stats = await client.info('commandstats');
    return Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0);
  };

  it('spends in exactly one EVALSHA round trip, and survives a flushed script cache', async () => {
    await budget.createBudget('one-trip', 1);
    await budget.spend('one-trip', 0.01);
    const before = await evalshaCalls();
    await budget.spend('one-trip', 0.01, { idempotencyKey: 'a' });
    expect((await evalshaCalls()) - before).toBe(1);

    await client.script('FLUSH');
    expect(await budget.spend('one-trip', 0.01)).toMatchObject({ spent: 0.03 });
  });

  it('keeps every key of a run in one Cluster slot (and the cross-run alert stream out of it)', async () => {
    const runId = 'slot-check:7';
    await budget.createBudget(runId, 1);
    await budget.spend(runId, 0.6, { idempotencyKey: 'k1' });
    await budget.reserve(runId, 0.1);
    await budget.drainAlerts();
    const keys = await client.keys(`${SETTINGS.keyPrefix}:{${runId}}*`);
    expect(keys.sort()).toEqual(
      [runKeys(SETTINGS.keyPrefix, runId).budget, ':events', ':holds', ':idem:k1', ':rsv']
        .map((suffix, i) => (i === 0 ? suffix : runKeys(SETTINGS.keyPrefix, runId).budget + suffix))
        .sort(),
    );
    const slots = new Set(keys.map((key) => calculateSlot(key)));
    expect(slots).toEqual(new Set([calculateSlot(runId)]));
  });

  const callsDuring = async (work: () => Promise<unknown>): Promise<Record<string, number>> => {
    const read = async () =>
      Object.fromEntries(
        [...(await client.info('commandstats')).matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map(([, name, calls]) => [
          name,
          Number(calls),
        ]),
      );
    const before = await read();
    await work();
    const after = await read();
    return Object.fromEntries(
      Object.entries(after)
        .map(([name, calls]): [string, number] => [name, calls - (before[name] ?? 0)])
        .filter(([name, calls]) => calls > 0 && name !== 'info'),
    );
  };

  it('skips the hold scan and the holds keys on a run that never reserved, and keeps them once it does', async () => {
    const runId = 'spend-only';
    await budget.createBudget(runId, 1);
    const spendOnly = await callsDuring(() => budget.spend(runId, 0.01));
    expect(spendOnly.zrangebyscore).toBeUndefined();
    expect(spendOnly.pexpire).toBe(2);

    const { reservationId } = await budget.reserveFor(runId, 200_000, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const afterReserve = await callsDuring(() => budget.spend(runId, 0.01));
    expect(afterReserve.zrangebyscore).toBeGreaterThan(0);
    expect(afterReserve.pexpire).toBe(4);
    // The expired hold was reclaimed by that spend, as on any run with holds.
    expect(await budget.getStatus(runId)).toMatchObject({ spent: 0.02, reserved: 0 });
    expect(await client.hget(runKeys(SETTINGS.keyPrefix, runId).reservations, reservationId)).toMatch(/^expired\|/);
    await budget.reserve(runId, 0.1);
    await client.persist(runKeys(SETTINGS.keyPrefix, runId).holds);
    await budget.spend(runId, 0.01);
    for (const key of [runKeys(SETTINGS.keyPrefix, runId).holds, runKeys(SETTINGS.keyPrefix, runId).reservations]) {
      expect(await client.pttl(key)).toBeGreaterThan(0);
    }
  });

  it('reads a budget stored without the reservation flag (written by an earlier version) as one that may hold some', async () => {
    const runId = 'stored-before-flag';
    await budget.createBudget(runId, 1);
    const { reservationId } = await budget.reserveFor(runId, 300_000, 1);
    await client.hdel(runKeys(SETTINGS.keyPrefix, runId).budget, 'hr');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const calls = await callsDuring(() => budget.spend(runId, 0.01));
    expect(calls.zrangebyscore).toBeGreaterThan(0);
    expect(await budget.getStatus(runId)).toMatchObject({ spent: 0.01, reserved: 0 });
    expect(await client.hget(runKeys(SETTINGS.keyPrefix, runId).reservations, reservationId)).toMatch(/^expired\|/);
  });

  it('puts alerts on the cross-run stream once each, and every key expires with the budget', async () => {
    await budget.createBudget('streamed', 1);
    await Promise.allSettled(Array.from({ length: 150 }, () => budget.spend('streamed', 0.01)));
    await budget.drainAlerts();
    const entries = await client.xrange(alertStreamKey(SETTINGS.keyPrefix), '-', '+');
    const mine = entries.map(([, fields]) => fields).filter((fields) => fields.includes('streamed'));
    const fieldsOf = (flat: string[]) =>
      Object.fromEntries(flat.flatMap((_, i) => (i % 2 ? [] : [[flat[i], flat[i + 1]]])));
    expect(mine.map((flat) => fieldsOf(flat)).map((alert) => [alert.type, alert.threshold])).toEqual([
      ['budget.threshold_crossed', '0.5'],
      ['budget.threshold_crossed', '0.8'],
      ['budget.threshold_crossed', '1'],
    ]);
    for (const key of await client.keys(`${SETTINGS.keyPrefix}:{streamed}*`)) {
      const ttl = await client.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(key.includes(':idem:') ? SETTINGS.idempotencyTtlMs : SETTINGS.budgetTtlMs);
    }
  });

  describe('when Redis is down', () => {
    const unavailableWithin = async (call: () => Promise<unknown>) => {
      const started = Date.now();
      let error: unknown;
      try {
        await call();
      } catch (caught) {
        error = caught;
      }
      return { ms: Date.now() - started, code: (error as BudgetError | undefined)?.code };
    };

    it('fails every call with DEPENDENCY_UNAVAILABLE within 1 s, never answers can-spend, and recovers', async () => {
      await budget.createBudget('outage', 1);
      // A client that queues while offline (ioredis' default) must still fail within the deadline.
      const queueing = new Redis(server.url, { maxRetriesPerRequest: null });
      const patient = buildBudgetService({ ledger: new RedisBudgetLedger(queueing, SETTINGS) });
      await patient.getStatus('outage');

      await server.stop('SIGKILL');
      for (const service of [budget, patient]) {
        for (const call of [
          () => service.spend('outage', 0.01),
          () => service.checkCanSpend('outage', 0.01),
          () => service.createBudget('outage-2', 1),
          () => service.getStatus('outage'),
          () => service.reserve('outage', 0.01),
          () => service.listEvents('outage'),
        ]) {
          const { ms, code } = await unavailableWithin(call);
          expect(code).toBe('DEPENDENCY_UNAVAILABLE');
          expect(ms).toBeLessThan(1000);
        }
      }
      queueing.disconnect();

      server = await startRedisServer({ port: server.port, dir: server.dir });
      await new Promise((resolve) => (client.status === 'ready' ? resolve(undefined) : client.once('ready', resolve)));
      // No persistence on this server: the old budget is gone and is reported as such, not invented.
      expect((await unavailableWithin(() => budget.getStatus('outage'))).code).toBe('BUDGET_NOT_FOUND');
      expect(await budget.createBudget('outage', 1)).toMatchObject({ spent: 0 });
    });
  });

  it('isolates a failing alert channel from the spend', async () => {
    const failing = new BudgetAlertDispatcher([{ name: 'broken', deliver: () => Promise.reject(new Error('down')) }]);
    failing.dispatch([{ alertId: 'x', type: 'budget_exceeded', runId: 'r', limit: 1, spent: 2, at: new Date() }]);
    await expect(failing.drain()).resolves.toBeUndefined();
  });
});
