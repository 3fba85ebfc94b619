import Redis from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeDir, startRedisServer, TestRedisServer } from '../../../../test/support/redis-server';
import type { BudgetService } from '../budget.service';
import { buildBudgetService } from '../testing/build-budget-service';
import { RedisBudgetLedger } from './redis-budget.ledger';

/**
 * Durability of acknowledged spends across `kill -9` of Redis, with AOF.
 *
 * - `appendfsync always`: Redis writes and fsyncs the AOF before any reply
 *   leaves, so the test demands that every acknowledged spend survives.
 * - `appendfsync everysec` (the production default): the AOF is written to
 *   the kernel before replies leave and fsynced once a second; a process
 *   crash loses nothing the kernel has, but when an fsync is slow Redis may
 *   postpone the write for up to 2 s while still replying. The test therefore
 *   asserts the documented bound: every spend acknowledged more than 2 s
 *   before the kill survives (in practice all of them do; the count is logged).
 */
const WRITERS = 20;
const AMOUNT_MICROS = 100; // 0.0001 USD: a 100 USD budget holds a million of them

interface Ack {
  key: string;
  at: number;
}

function ledgerOn(url: string): { client: Redis; budget: BudgetService } {
  const client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const settings = {
    budgetTtlMs: 3_600_000,
    idempotencyTtlMs: 86_400_000,
    eventsMaxLen: 100,
    keyPrefix: 'dur',
    commandTimeoutMs: 2000,
  };
  return { client, budget: buildBudgetService({ ledger: new RedisBudgetLedger(client, settings) }) };
}

async function ready(client: Redis): Promise<void> {
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
}

async function storm(budget: BudgetService, runId: string, killAfterMs: number, server: TestRedisServer) {
  const acks: Ack[] = [];
  let attempts = 0;
  let stop = false;
  const writer = async (w: number) => {
    for (let n = 0; !stop; n += 1) {
      const key = `w${w}-${n}`;
      attempts += 1;
      try {
        await budget.spend(runId, AMOUNT_MICROS / 1_000_000, { idempotencyKey: key });
        acks.push({ key, at: Date.now() });
      } catch {
        return; // the server is gone: this spend was never acknowledged
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  await sleep(killAfterMs);
  const killedAt = Date.now();
  await server.stop('SIGKILL');
  stop = true;
  await Promise.all(writers);
  return { acks, attempts, killedAt };
}

describe.each([
  ['always', 0],
  ['everysec', 2000],
])('RedisBudgetLedger durability with appendfsync %s (SIGKILL mid spend storm)', (fsync, boundMs) => {
  let server: TestRedisServer;

  afterAll(async () => {
    await server?.stop('SIGKILL');
    if (server) removeDir(server.dir);
  });

  it(`loses no acknowledged spend${boundMs ? ` older than ${boundMs} ms` : ''}`, async () => {
    const args = ['--appendonly', 'yes', '--appendfsync', fsync];
    server = await startRedisServer({ extraArgs: args });
    const first = ledgerOn(server.url);
    await ready(first.client);
    const runId = `durability-${fsync}`;
    await first.budget.createBudget(runId, 100);

    const { acks, attempts, killedAt } = await storm(first.budget, runId, 3000, server);
    first.client.disconnect();
    expect(acks.length).toBeGreaterThan(1000);

    server = await startRedisServer({ port: server.port, dir: server.dir, extraArgs: args });
    const second = ledgerOn(server.url);
    await ready(second.client);
    const status = await second.budget.getStatus(runId);
    const inFlight = attempts - acks.length;

    // Which acknowledged spends are on record? A replay of a recorded key changes nothing and says so.
    const lost: Ack[] = [];
    for (let i = 0; i < acks.length; i += 500) {
      const chunk = acks.slice(i, i + 500);
      const replays = await Promise.all(
        chunk.map((ack) => second.budget.spend(runId, AMOUNT_MICROS / 1_000_000, { idempotencyKey: ack.key })),
      );
      replays.forEach((replay, j) => {
        if (!replay.replayed) lost.push(chunk[j]);
      });
    }
    second.client.disconnect();

    console.info(
      `appendfsync ${fsync}: ${acks.length} acknowledged, ${inFlight} in flight at the kill, ` +
        `${status.spentMicros / AMOUNT_MICROS} on record after restart, ${lost.length} acknowledged spends lost`,
    );
    expect(lost.filter((ack) => ack.at < killedAt - boundMs)).toEqual([]);
    expect(status.spentMicros).toBeGreaterThanOrEqual((acks.length - lost.length) * AMOUNT_MICROS);
    expect(status.spentMicros).toBeLessThanOrEqual((acks.length + inFlight) * AMOUNT_MICROS);
    if (boundMs === 0) expect(lost).toEqual([]);
  }, 60_000);
});
