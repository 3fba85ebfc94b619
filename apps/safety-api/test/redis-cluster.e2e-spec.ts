import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startRedisCluster, TestRedisCluster } from '../../../test/support/redis-cluster';
import { createTestApp } from './support/create-test-app';

/**
 * The service against a real 3-master Redis Cluster: every budget script
 * works whatever slot a run hashes to (hash tags keep a run's keys together),
 * the audit trail and rate limits work, and readiness follows cluster_state.
 */
describe('Redis Cluster (3 masters on loopback)', () => {
  let cluster: TestRedisCluster;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    app = await createTestApp({ REDIS_CLUSTER_NODES: cluster.seeds, RATE_LIMIT_MAX: '1000' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
  });

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app
      .inject({ method, url: `/api/v1/safety${url}`, payload })
      .then((res) => ({ status: res.statusCode, body: JSON.parse(res.body) }));

  it('is ready and says it runs on the cluster', async () => {
    const res = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).info.redis.store).toBe('redis-cluster');
  });

  it('runs every budget operation for runs spread over all slots', async () => {
    const runs = Array.from({ length: 24 }, (_, i) => `cluster-run-${i}`);
    for (const run of runs) {
      expect((await call('POST', '/budget/create', { run_id: run, limit: 1 })).status).toBe(201);
      expect(
        (await call('POST', '/budget/spend', { run_id: run, amount: 0.25, idempotency_key: `${run}-k1` })).status,
      ).toBe(200);
      expect(
        (await call('POST', '/budget/spend', { run_id: run, amount: 0.25, idempotency_key: `${run}-k1` })).status,
      ).toBe(200);
      const reserved = await call('POST', '/budget/reserve', { run_id: run, amount: 0.5 });
      expect(reserved.status).toBe(201);
      expect(
        (await call('POST', `/budget/reservations/${reserved.body.reservation_id}/commit`, { amount: 0.5 })).status,
      ).toBe(200);
      const status = await call('GET', `/budget/${run}`);
      expect(status.body).toMatchObject({ spent: 0.75, reserved: 0, remaining: 0.25 });
      expect((await call('POST', '/budget/spend', { run_id: run, amount: 0.5 })).status).toBe(402);
    }
    const trail = await call('GET', `/audit/${runs[0]}`);
    expect(trail.body.events.map((event: { type: string }) => event.type)).toEqual(
      expect.arrayContaining(['budget.create', 'budget.spend', 'budget.reserve', 'budget.commit']),
    );
  });

  it('turns readiness 503 when a master is lost and the cluster fails', async () => {
    await cluster.nodes[2].stop('SIGKILL');
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status !== 503 && Date.now() < deadline) {
      status = (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode;
      if (status !== 503) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(503);
  }, 20_000);
});
