import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { removeDir, startRedisServer, TestRedisServer } from '../../../test/support/redis-server';
import { createTestApp } from './support/create-test-app';

/**
 * Redis killed (SIGKILL) in the middle of a spend storm: every Redis-backed
 * call (spends in flight, budget reads and writes, audit reads) answers 503
 * within 1 s, readiness within 2 s, the same instance recovers without a
 * restart, and no acknowledged spend is lost (AOF with appendfsync always:
 * every acknowledged write is on disk before the reply).
 */
const RUN = 'fault-run';
const AMOUNT_MICROS = 10_000; // 0.01 USD

describe('Redis dies under load', () => {
  let redis: TestRedisServer;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await startRedisServer({ extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    app = await createTestApp({ REDIS_URL: redis.url });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/safety/budget/create',
      payload: { run_id: RUN, limit: 100 },
    });
    expect(created.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    if (redis) removeDir(redis.dir);
  });

  const spend = (key: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/safety/budget/spend',
      payload: { run_id: RUN, amount: 0.01, idempotency_key: key },
    });
  const ready = async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode;
  /** Every other kind of Redis-backed call, read and write, with the status it answers when Redis is up. */
  const otherCalls: Array<{ name: string; up: number; call: () => ReturnType<typeof app.inject> }> = [
    { name: 'budget status', up: 200, call: () => app.inject({ method: 'GET', url: `/api/v1/safety/budget/${RUN}` }) },
    {
      name: 'budget events',
      up: 200,
      call: () => app.inject({ method: 'GET', url: `/api/v1/safety/budget/${RUN}/events?limit=1` }),
    },
    {
      name: 'can-spend',
      up: 200,
      call: () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/safety/budget/can-spend',
          payload: { run_id: RUN, amount: 0.01 },
        }),
    },
    {
      name: 'reserve',
      up: 201,
      call: () =>
        app.inject({ method: 'POST', url: '/api/v1/safety/budget/reserve', payload: { run_id: RUN, amount: 0.01 } }),
    },
    { name: 'audit trail', up: 200, call: () => app.inject({ method: 'GET', url: `/api/v1/safety/audit/${RUN}` }) },
    { name: 'runs', up: 200, call: () => app.inject({ method: 'GET', url: '/api/v1/safety/runs' }) },
    {
      name: 'request approval',
      up: 201,
      call: () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/safety/approvals',
          payload: { action: 'deploy', context: { environment: 'production', service: randomUUID() } },
        }),
    },
    { name: 'approvals', up: 200, call: () => app.inject({ method: 'GET', url: '/api/v1/safety/approvals' }) },
    {
      // Using a grant needs the approvals store: without it the check fails closed, never allows.
      name: 'check with a grant',
      up: 200,
      call: () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/safety/check',
          payload: {
            action: 'deploy',
            context: { environment: 'production' },
            approval_id: `apr_${randomUUID().replace(/-/g, '')}`,
          },
        }),
    },
  ];
  /** Status, problem code and duration of each of `otherCalls`, run one after another. */
  const runOtherCalls = async () => {
    const outcomes = [];
    for (const { name, call } of otherCalls) {
      const started = Date.now();
      const res = await call();
      const code = res.statusCode >= 400 ? JSON.parse(res.body).code : undefined;
      outcomes.push({ name, status: res.statusCode, code, ms: Date.now() - started });
    }
    return outcomes;
  };

  it('fails closed fast, recovers by itself, and loses no acknowledged spend', async () => {
    const acknowledged = new Set<string>();
    const unacknowledged = new Set<string>();
    let killedAt = 0;
    let first503After: number | undefined;
    // The longest any spend took to be answered after the kill, counted from the kill or its start if later.
    let slowestAfterKill = 0;
    let stop = false;

    const worker = async () => {
      while (!stop) {
        const key = randomUUID();
        const started = Date.now();
        const res = await spend(key);
        if (killedAt) slowestAfterKill = Math.max(slowestAfterKill, Date.now() - Math.max(started, killedAt));
        if (res.statusCode === 200) acknowledged.add(key);
        else {
          unacknowledged.add(key);
          expect(res.statusCode).toBe(503);
          expect(JSON.parse(res.body).code).toBe('DEPENDENCY_UNAVAILABLE');
          if (killedAt && first503After === undefined) first503After = Date.now() - killedAt;
        }
      }
    };
    const workers = Array.from({ length: 20 }, worker);

    await new Promise((resolve) => setTimeout(resolve, 300));
    killedAt = Date.now();
    await redis.stop('SIGKILL');

    let readyDownAfter: number | undefined;
    while (Date.now() - killedAt < 2000 && readyDownAfter === undefined) {
      if ((await ready()) === 503) readyDownAfter = Date.now() - killedAt;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const duringOutage = await runOtherCalls();
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(workers);

    expect(first503After).toBeDefined();
    expect(first503After!).toBeLessThanOrEqual(1000);
    expect(slowestAfterKill).toBeLessThanOrEqual(1000);
    expect(readyDownAfter).toBeDefined();
    expect(readyDownAfter!).toBeLessThanOrEqual(2000);
    expect(acknowledged.size).toBeGreaterThan(0);
    for (const outcome of duringOutage) {
      expect(outcome).toEqual({ ...outcome, status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
      expect(outcome.ms).toBeLessThanOrEqual(1000);
    }

    redis = await startRedisServer({
      port: redis.port,
      dir: redis.dir,
      extraArgs: ['--appendonly', 'yes', '--appendfsync', 'always'],
    });
    const deadline = Date.now() + 5000;
    while ((await ready()) !== 200) {
      if (Date.now() > deadline) throw new Error('readiness did not recover within 5 s of Redis returning');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // The same app instance serves every kind of call again.
    for (const outcome of await runOtherCalls()) {
      expect(outcome).toEqual({ ...outcome, status: otherCalls.find((c) => c.name === outcome.name)!.up });
    }

    const status = JSON.parse((await app.inject({ method: 'GET', url: `/api/v1/safety/budget/${RUN}` })).body);
    const spentMicros = Math.round(status.spent * 1e6);
    // Every acknowledged spend survived; a spend whose reply was lost with the connection may also have landed.
    expect(spentMicros).toBeGreaterThanOrEqual(acknowledged.size * AMOUNT_MICROS);
    expect(spentMicros).toBeLessThanOrEqual((acknowledged.size + unacknowledged.size) * AMOUNT_MICROS);

    // Retrying the unacknowledged spends with their idempotency keys settles the books exactly.
    for (const key of unacknowledged) expect((await spend(key)).statusCode).toBe(200);
    const settled = JSON.parse((await app.inject({ method: 'GET', url: `/api/v1/safety/budget/${RUN}` })).body);
    expect(Math.round(settled.spent * 1e6)).toBe((acknowledged.size + unacknowledged.size) * AMOUNT_MICROS);
  }, 60_000);
});
