import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { removeDir, startRedisServer } from '../../../test/support/redis-server';
import { createTestApp } from './support/create-test-app';

/** The value of one Prometheus sample, matched on name and exact label set (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]);
    if (JSON.stringify(found.sort()) === wanted) return Number(match[3]);
  }
  return 0;
}

describe('/metrics', () => {
  it('exposes Prometheus text with request latency by route template and status, never raw paths', async () => {
    const app = await createTestApp({ SAFETY_API_KEYS: 'metrics-key-1' });
    await request(app.getHttpServer()).get('/api/v1/safety/audit/metrics-run-1').set('x-api-key', 'metrics-key-1');
    await request(app.getHttpServer()).get('/api/v1/safety/audit/metrics-run-2');
    const res = await request(app.getHttpServer()).get('/metrics');
    await app.close();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const route = { method: 'GET', route: '/api/v1/safety/audit/:run_id' };
    expect(sample(res.text, 'safety_http_request_duration_seconds_count', { ...route, status: '404' })).toBe(1);
    expect(sample(res.text, 'safety_http_request_duration_seconds_count', { ...route, status: '401' })).toBe(1);
    expect(res.text).not.toContain('metrics-run-1');
  });

  describe('domain metrics (real Redis, local sandbox)', () => {
    const workspaceDir = join(tmpdir(), `metrics-e2e-${process.pid}`);
    let app: NestFastifyApplication;
    const http = () => request(app.getHttpServer());
    const scrape = async () => (await http().get('/metrics').expect(200)).text;
    /** How much each sample moved while `act` ran. */
    const delta = async (act: () => Promise<unknown>, read: (text: string) => number) => {
      const before = read(await scrape());
      await act();
      return read(await scrape()) - before;
    };

    beforeAll(async () => {
      app = await createTestApp({
        REDIS_URL: requireTestRedisUrl(),
        SANDBOX_PROVIDER: 'local',
        SANDBOX_WORKSPACE_DIR: workspaceDir,
        SANDBOX_HOST_UID: '10015',
        SANDBOX_COST_PER_SECOND: '0.01',
      });
    });
    afterAll(async () => {
      await app?.close();
      await rm(workspaceDir, { recursive: true, force: true });
    });

    it('counts policy decisions by action and outcome', async () => {
      const check = (command: string) =>
        http().post('/api/v1/safety/check').send({ action: 'execute_code', context: { command } }).expect(200);
      const deny = (text: string) =>
        sample(text, 'safety_policy_decisions_total', { action: 'execute_code', decision: 'deny' });
      const allow = (text: string) =>
        sample(text, 'safety_policy_decisions_total', { action: 'execute_code', decision: 'allow' });
      expect(await delta(() => check('rm -rf /'), deny)).toBe(1);
      expect(await delta(() => check('ls'), allow)).toBe(1);
    });

    it('counts budget operations with their outcome, rejections included, and threshold alerts', async () => {
      const runId = `metrics-${randomUUID()}`;
      const ops = (operation: string, outcome: string) => (text: string) =>
        sample(text, 'safety_budget_operations_total', { operation, outcome });
      const create = () =>
        http()
          .post('/api/v1/safety/budget/create')
          .send({ run_id: runId, limit: 1, alert_thresholds: [0.5] })
          .expect(201);
      expect(await delta(create, ops('create', 'ok'))).toBe(1);
      const spend = (amount: number, status: number) => () =>
        http().post('/api/v1/safety/budget/spend').send({ run_id: runId, amount }).expect(status);
      expect(await delta(spend(5, 402), ops('spend', 'BUDGET_EXCEEDED'))).toBe(1);
      const alerts = (text: string) => sample(text, 'safety_budget_alerts_total');
      expect(await delta(spend(0.6, 200), alerts)).toBe(1);
    });

    it('counts redaction findings by pattern', async () => {
      const text = `key sk-proj-${'a1B2c3D4'.repeat(6)} and sk-proj-${'Z9y8X7w6'.repeat(6)}`;
      const openai = (metrics: string) =>
        sample(metrics, 'safety_redaction_findings_total', { pattern: 'OPENAI_API_KEY' });
      expect(await delta(() => http().post('/api/v1/safety/redact').send({ text }).expect(200), openai)).toBe(2);
    });

    it('labels findings of caller-named variables ENV_VAR, so callers cannot add series', async () => {
      const names = Array.from({ length: 40 }, (_, i) => `CALLER_VAR_${randomUUID().slice(0, 8).toUpperCase()}_${i}`);
      const text = names.map((name, i) => `${name}=value-number-${i}-secret`).join('\n');
      const envVar = (metrics: string) => sample(metrics, 'safety_redaction_findings_total', { pattern: 'ENV_VAR' });
      const send = () => http().post('/api/v1/safety/redact').send({ text, env_vars: names }).expect(200);
      expect(await delta(send, envVar)).toBe(40);
      const metrics = (await http().get('/metrics').expect(200)).text;
      expect(names.filter((name) => metrics.includes(name))).toEqual([]);
    });

    it('counts sandbox executions by outcome and observes their duration', async () => {
      const runId = `metrics-${randomUUID()}`;
      await http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit: 1 }).expect(201);
      const execute =
        (command: string, status = 200, timeout_ms = 5000) =>
        () =>
          http().post('/api/v1/safety/sandbox/execute').send({ run_id: runId, command, timeout_ms }).expect(status);
      const executions = (outcome: string) => (text: string) =>
        sample(text, 'safety_sandbox_executions_total', { outcome });
      const durations = (text: string) => sample(text, 'safety_sandbox_execution_duration_seconds_count');
      expect(await delta(execute('true'), executions('ok'))).toBe(1);
      expect(await delta(execute('exit 4'), executions('nonzero_exit'))).toBe(1);
      expect(await delta(execute('sleep 5', 200, 300), executions('timed_out'))).toBe(1);
      expect(await delta(execute('rm -rf /', 403), executions('POLICY_DENIED'))).toBe(1);
      expect(await delta(execute('true'), durations)).toBe(1);
    });

    it('counts Redis errors when the store goes away', async () => {
      const redis = await startRedisServer();
      const own = await createTestApp({ REDIS_URL: redis.url });
      try {
        await redis.stop('SIGKILL');
        await request(own.getHttpServer()).get('/api/v1/safety/budget/gone-run').expect(503);
        // Each failed reconnect attempt is an error; the first comes within the retry strategy's first 50 ms.
        const errors = async () =>
          sample((await request(own.getHttpServer()).get('/metrics').expect(200)).text, 'safety_redis_errors_total');
        const deadline = Date.now() + 2000;
        while ((await errors()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await errors()).toBeGreaterThan(0);
      } finally {
        await own.close();
        removeDir(redis.dir);
      }
    });
  });
});
