import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { portOf, startMetricsServer } from '../src/metrics/metrics-server';
import { MetricsService } from '../src/metrics/metrics.service';
import { createTestApp, createTestAppWithLogs } from './support/create-test-app';
import { keysFileYaml, principalsFor, type TestPrincipal, writeKeysFile } from './support/principals';

/** Principals from a keys file, on the real Redis: who is asking, what it may do, and what it leaves behind. */
const PRINCIPALS = principalsFor('principals', ['p-acme', 'p-globex']);
const who = (id: string): TestPrincipal => PRINCIPALS.find((p) => p.id === id)!;
const AGENT = who('p-acme-agent');
const OPERATOR = who('p-acme-operator');
const ADMIN = who('p-acme-admin');

describe('principals, roles and tenants', () => {
  let app: NestFastifyApplication;
  let logs: string[];
  let keysFile: string;
  let redis: Redis;
  const http = () => request(app.getHttpServer());
  const api = (path: string) => `/api/v1/safety${path}`;

  async function createRun(principal: TestPrincipal, tenantHeader?: string): Promise<string> {
    const runId = `p-${randomUUID()}`;
    const call = http().post(api('/budget/create')).set('x-api-key', principal.key);
    if (tenantHeader) void call.set('x-safety-tenant', tenantHeader);
    await call.send({ run_id: runId, limit: 5 }).expect(201);
    return runId;
  }
  const trail = async (runId: string, principal = OPERATOR) =>
    (
      await http()
        .get(api(`/audit/${runId}`))
        .set('x-api-key', principal.key)
        .expect(200)
    ).body.events as Array<Record<string, unknown>>;

  beforeAll(async () => {
    keysFile = writeKeysFile(PRINCIPALS);
    ({ app, logs } = await createTestAppWithLogs({
      REDIS_URL: requireTestRedisUrl(),
      SAFETY_API_KEYS_FILE: keysFile,
      AUTH_FAILURE_LIMIT: '0',
      SANDBOX_PROVIDER: 'local',
      SANDBOX_WORKSPACE_DIR: join(tmpdir(), `principals-e2e-${process.pid}`),
      SANDBOX_HOST_UID: '10019',
      SANDBOX_WORKSPACE_MB: '4',
    }));
    redis = new Redis(requireTestRedisUrl());
  });
  afterAll(async () => {
    await app.close();
    redis.disconnect();
    rmSync(dirname(keysFile), { recursive: true, force: true });
    rmSync(join(tmpdir(), `principals-e2e-${process.pid}`), { recursive: true, force: true });
  });

  it('whoami names the principal, its tenant and role', async () => {
    const res = await http().get(api('/whoami')).set('authorization', `Bearer ${AGENT.key}`).expect(200);
    expect(res.body).toEqual({ key_id: 'p-acme-agent', tenant: 'p-acme', role: 'agent', acting_tenant: 'p-acme' });
    const requestLine = logs
      .map((l) => JSON.parse(l))
      .find((l) => l.request_id === res.headers['x-request-id'] && l.req);
    expect(requestLine).toMatchObject({ key_id: 'p-acme-agent', tenant: 'p-acme', res: { status: 200 } });
  });

  it('lets only an admin act in another tenant with X-Safety-Tenant, and audits that it did', async () => {
    const asAdmin = await http().get(api('/whoami')).set('x-api-key', ADMIN.key).set('x-safety-tenant', 'p-globex');
    expect(asAdmin.body).toMatchObject({ tenant: 'p-acme', acting_tenant: 'p-globex' });
    const refused = await http().get(api('/whoami')).set('x-api-key', OPERATOR.key).set('x-safety-tenant', 'p-globex');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN_ROLE');
    const malformed = await http().get(api('/whoami')).set('x-api-key', ADMIN.key).set('x-safety-tenant', 'Not Valid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].pointer).toBe('/headers/x-safety-tenant');

    const runId = await createRun(ADMIN, 'p-globex');
    await http()
      .get(api(`/budget/${runId}`))
      .set('x-api-key', who('p-globex-agent').key)
      .expect(200);
    await http()
      .get(api(`/budget/${runId}`))
      .set('x-api-key', AGENT.key)
      .expect(404);
    const [created] = await trail(runId, who('p-globex-operator'));
    expect(created).toMatchObject({
      type: 'budget.create',
      tenant: 'p-globex',
      key_id: 'p-acme-admin',
      acting_from_tenant: 'p-acme',
    });
  });

  it('records the principal and tenant on every audit event and on the decision log line', async () => {
    const runId = await createRun(AGENT);
    const check = await http()
      .post(api('/check'))
      .set('x-api-key', AGENT.key)
      .send({ action: 'execute_code', context: { command: 'ls', run_id: runId } })
      .expect(200);
    const events = await trail(runId);
    expect(events.map((e) => [e.type, e.tenant, e.key_id])).toEqual([
      ['budget.create', 'p-acme', 'p-acme-agent'],
      ['policy.decision', 'p-acme', 'p-acme-agent'],
    ]);
    const executed = await http()
      .post(api('/sandbox/execute'))
      .set('x-api-key', AGENT.key)
      .send({ run_id: runId, command: 'echo hi' })
      .expect(200);
    const sandboxLine = logs
      .map((l) => JSON.parse(l))
      .find((l) => l.decision_id === executed.body.decision_id && l.event === 'policy.decision');
    expect(sandboxLine).toMatchObject({
      key_id: 'p-acme-agent',
      tenant: 'p-acme',
      request_id: executed.headers['x-request-id'],
    });
    const line = logs
      .map((l) => JSON.parse(l))
      .find((l) => l.decision_id === check.body.decision_id && l.event === 'policy.decision');
    expect(line).toMatchObject({ key_id: 'p-acme-agent', tenant: 'p-acme' });
  });

  it('lets only an operator or admin spend past the limit with allow_overage', async () => {
    const runId = await createRun(AGENT);
    const spend = (p: TestPrincipal) =>
      http().post(api('/budget/spend')).set('x-api-key', p.key).send({ run_id: runId, amount: 6, allow_overage: true });
    const refused = await spend(AGENT).expect(403);
    expect(refused.body.code).toBe('FORBIDDEN_ROLE');
    expect((await spend(OPERATOR).expect(200)).body).toMatchObject({ exceeded: true, spent: 6 });
  });

  it('writes nothing for refused calls: unauthenticated spends cannot push the real events out of a trail', async () => {
    const runId = await createRun(AGENT);
    await http()
      .post(api('/budget/spend'))
      .set('x-api-key', AGENT.key)
      .send({ run_id: runId, amount: 0.5 })
      .expect(200);
    const before = await trail(runId);
    for (let i = 0; i < 50; i++) {
      await http().post(api('/budget/spend')).send({ run_id: runId, amount: 0.01 }).expect(401);
      await http()
        .post(api('/budget/spend'))
        .set('x-api-key', 'bad-key')
        .send({ run_id: runId, amount: 0.01 })
        .expect(401);
    }
    // A role too low is refused before it acts, and leaves nothing either.
    await http()
      .get(api(`/audit/${runId}`))
      .set('x-api-key', AGENT.key)
      .expect(403);
    expect(await trail(runId)).toEqual(before);
    expect(
      (
        await http()
          .get(api(`/budget/${runId}`))
          .set('x-api-key', AGENT.key)
      ).body.spent,
    ).toBe(0.5);

    const fresh = `p-${randomUUID()}`;
    await http()
      .post(api('/check'))
      .send({ action: 'execute_code', context: { command: 'ls', run_id: fresh } })
      .expect(401);
    expect(await redis.exists(`safety:audit:{p-acme/${fresh}}`, `safety:audit:{${fresh}}`)).toBe(0);
  });

  it('authenticates before reading the body: no key and a malformed or oversized body is still 401', async () => {
    const malformed = await http().post(api('/check')).set('content-type', 'application/json').send('{"action": ');
    expect(malformed.status).toBe(401);
    const huge = await http()
      .post(api('/redact'))
      .set('content-type', 'application/json')
      .send(JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) }));
    expect(huge.status).toBe(401);
  });

  it("stores a tenant's run under its tenant in one Cluster slot, and the default tenant's as before tenants", async () => {
    const runId = await createRun(AGENT);
    expect(await redis.exists(`safety:budget:{p-acme/${runId}}`)).toBe(1);
    expect(await redis.exists(`safety:budget:{${runId}}`)).toBe(0);
    // Messages name the run as the tenant knows it, never with the tenant scope.
    const missing = `p-${randomUUID()}`;
    const res = await http()
      .get(api(`/budget/${missing}`))
      .set('x-api-key', AGENT.key)
      .expect(404);
    expect(res.body).toMatchObject({ detail: `Budget not found for run_id: ${missing}`, run_id: missing });
    const again = await http().post(api('/budget/create')).set('x-api-key', AGENT.key).send({ run_id: runId });
    expect(again.body.detail).toBe(`A budget already exists for run_id: ${runId}`);
  });
});

describe('keys file reload', () => {
  const principals = principalsFor('reload', ['r-acme']);
  const [agent, operator] = principals;
  let keysFile: string;
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    keysFile = writeKeysFile(principals);
    const env = { REDIS_URL: requireTestRedisUrl(), SAFETY_API_KEYS_FILE: keysFile };
    first = await createTestApp(env);
    second = await createTestApp(env);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    rmSync(dirname(keysFile), { recursive: true, force: true });
  });

  const status = async (app: NestFastifyApplication, key: string) =>
    (await request(app.getHttpServer()).get('/api/v1/safety/whoami').set('x-api-key', key)).status;

  it('revokes a key on every instance within 2 s of the file changing; an invalid file keeps the keys in force', async () => {
    expect([await status(first, agent.key), await status(second, agent.key)]).toEqual([200, 200]);
    // Replace by rename, as a Kubernetes Secret update does.
    const next = join(dirname(keysFile), 'next.yaml');
    writeFileSync(next, keysFileYaml(principals.filter((p) => p !== agent)));
    renameSync(next, keysFile);
    const started = Date.now();
    let revoked: number[] = [];
    while (Date.now() - started < 2000) {
      revoked = [await status(first, agent.key), await status(second, agent.key)];
      if (revoked.every((code) => code === 401)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(revoked).toEqual([401, 401]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await status(first, operator.key)).toBe(200);

    writeFileSync(keysFile, 'keys:\n  - { id: broken, tenant: r-acme, role: superuser, sha256: nope }\n');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect([await status(first, operator.key), await status(second, operator.key)]).toEqual([200, 200]);
    const metrics = await request(first.getHttpServer()).get('/metrics');
    expect(metrics.text).toMatch(/safety_api_keys_reloads_total\{outcome="error"\} [1-9]/);
  });

  it('refuses to boot on a keys file that does not validate, naming the entry and field', async () => {
    const bad = join(dirname(keysFile), 'bad.yaml');
    writeFileSync(bad, 'keys:\n  - { id: ci-agent, tenant: ACME, role: agent, sha256: nope }\n');
    await expect(createTestApp({ SAFETY_API_KEYS_FILE: bad })).rejects.toThrow(
      /keys\[0\] \(id "ci-agent"\): tenant must match/,
    );
  });
});

describe('METRICS_PORT', () => {
  it('moves /metrics and the API document off the public port', async () => {
    const app = await createTestApp({ METRICS_PORT: '0', SAFETY_API_KEYS: 'metrics-port-key-1' });
    let server: Server | undefined;
    try {
      await request(app.getHttpServer()).get('/metrics').expect(404);
      await request(app.getHttpServer()).get('/api/docs-json').expect(404);
      server = await startMetricsServer(app.get(MetricsService), { openapi: '3.0.0' } as never, 0, '127.0.0.1');
      const base = `http://127.0.0.1:${portOf(server)}`;
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
      expect(await (await fetch(`${base}/api/docs-json`)).json()).toEqual({ openapi: '3.0.0' });
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      server?.close();
      await app.close();
    }
  });
});
