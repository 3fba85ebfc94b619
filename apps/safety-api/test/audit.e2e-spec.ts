import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { requireTestRedisUrl } from '../../../test/support/redis';
import type { AuditEvent } from '../src/audit/audit.types';
import { DOMAIN_EVENT_ROUTES } from '../src/audit/domain-events';
import { createTestAppWithLogs } from './support/create-test-app';

const MAX_EVENTS = 10;
const TTL_SECONDS = 600;
/** Redis trims `MAXLEN ~` streams by whole nodes of this many entries (stream-node-max-entries). */
const STREAM_NODE_ENTRIES = 100;
const OPENAI_KEY = 'sk-proj-' + 'a1B2c3D4'.repeat(6);

/**
 * The audit trail end to end, on a real Redis and the real bubblewrap sandbox: which calls become
 * events, what an event holds, that secrets never reach the stream or the log, and the bounds
 * (retention, expiry, valid run ids only).
 */
describe('audit trail (real Redis, local sandbox)', () => {
  const workspaceDir = join(tmpdir(), `audit-e2e-${process.pid}`);
  let app: NestFastifyApplication;
  let logs: string[];
  let redis: Redis;
  const http = () => request(app.getHttpServer());
  const newRun = () => `audit-${randomUUID()}`;
  const trail = async (runId: string, limit = 1000): Promise<AuditEvent[]> => {
    const res = await http().get(`/api/v1/safety/audit/${runId}?limit=${limit}`).expect(200);
    expect(res.body.run_id).toBe(runId);
    return res.body.events;
  };
  const streamKey = (runId: string) => `safety:audit:{${runId}}`;

  beforeAll(async () => {
    ({ app, logs } = await createTestAppWithLogs({
      REDIS_URL: requireTestRedisUrl(),
      AUDIT_MAX_EVENTS_PER_RUN: String(MAX_EVENTS),
      AUDIT_TTL_SECONDS: String(TTL_SECONDS),
      SANDBOX_PROVIDER: 'local',
      SANDBOX_WORKSPACE_DIR: workspaceDir,
      SANDBOX_HOST_UID: '10014',
      SANDBOX_COST_PER_SECOND: '0.01',
    }));
    redis = new Redis(requireTestRedisUrl());
  });
  afterAll(async () => {
    await redis?.quit();
    await app?.close();
    await rm(workspaceDir, { recursive: true, force: true });
  });

  it('records a policy decision named by context.run_id, joined to the response by request and decision id', async () => {
    const runId = newRun();
    const res = await http()
      .post('/api/v1/safety/check')
      .send({ action: 'execute_code', context: { command: 'rm -rf /', run_id: runId } })
      .expect(200);
    const [event] = await trail(runId);
    expect(event).toEqual({
      id: expect.stringMatching(/^\d+-\d+$/),
      type: 'policy.decision',
      run_id: runId,
      tenant: 'default',
      key_id: 'anonymous',
      at: expect.any(String),
      request_id: res.headers['x-request-id'],
      outcome: 'ok',
      data: {
        action: 'execute_code',
        decision: 'deny',
        risk: res.body.risk,
        reason: res.body.reason,
        rule_ids: res.body.rule_ids,
        decision_id: res.body.decision_id,
      },
    });
    expect(Number.isNaN(Date.parse(event.at))).toBe(false);
  });

  it('records every budget mutation, a refused one with its problem code, oldest first; reads are not events', async () => {
    const runId = newRun();
    await http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit: 1 }).expect(201);
    await http().post('/api/v1/safety/budget/spend').send({ run_id: runId, amount: 0.25 }).expect(200);
    await http().post('/api/v1/safety/budget/can-spend').send({ run_id: runId, amount: 0.25 }).expect(200);
    await http().get(`/api/v1/safety/budget/${runId}`).expect(200);
    await http().post('/api/v1/safety/budget/spend').send({ run_id: runId, amount: 5 }).expect(402);
    const hold = await http().post('/api/v1/safety/budget/reserve').send({ run_id: runId, amount: 0.5 }).expect(201);
    await http()
      .post(`/api/v1/safety/budget/reservations/${hold.body.reservation_id}/commit`)
      .send({ amount: 0.4 })
      .expect(200);

    const events = await trail(runId);
    expect(events.map((event) => [event.type, event.outcome])).toEqual([
      ['budget.create', 'ok'],
      ['budget.spend', 'ok'],
      ['budget.spend', 'BUDGET_EXCEEDED'],
      ['budget.reserve', 'ok'],
      ['budget.commit', 'ok'],
    ]);
    expect(events[1].data).toMatchObject({ amount: 0.25, replayed: false, spent: 0.25, remaining: 0.75 });
    expect(events[2].data).toEqual({});
    expect(events[3].data).toMatchObject({ reservation_id: hold.body.reservation_id, amount: 0.5, status: 'held' });
    // A commit's event holds what was spent and the budget right after, not only the hold.
    expect(events[4].data).toMatchObject({
      reservation_id: hold.body.reservation_id,
      amount: 0.5,
      committed_amount: 0.4,
      status: 'committed',
      replayed: false,
      spent: 0.65,
      reserved: 0,
      remaining: 0.35,
    });
  });

  it('records a sandbox execution with its result, never its output', async () => {
    const runId = newRun();
    await http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit: 1 }).expect(201);
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({ run_id: runId, command: 'echo audit-output-marker' })
      .expect(200);
    const execution = (await trail(runId)).find((event) => event.type === 'sandbox.execution');
    expect(execution).toMatchObject({
      outcome: 'ok',
      data: {
        command: 'echo audit-output-marker',
        exit_code: 0,
        timed_out: false,
        cost: res.body.cost,
        decision_id: res.body.decision_id,
      },
    });
    expect(JSON.stringify(execution)).not.toContain('audit-output-marker\n');
    expect(execution?.data).not.toHaveProperty('stdout');
  });

  it('records a refused sandbox run with what was asked and the decision that refused it', async () => {
    const runId = newRun();
    await http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit: 1 }).expect(201);
    const command = 'rm -rf / --no-preserve-root # token=sk-proj-' + 'a1B2c3D4'.repeat(6);
    const res = await http().post('/api/v1/safety/sandbox/execute').send({ run_id: runId, command }).expect(403);
    const refused = (await trail(runId)).find((event) => event.type === 'sandbox.execution');
    expect(refused).toMatchObject({
      outcome: 'POLICY_DENIED',
      data: {
        command: expect.stringContaining('rm -rf /'),
        decision: 'deny',
        decision_id: res.body.decision.decision_id,
        rule_ids: res.body.decision.rule_ids,
      },
    });
    // Redacted like every event.
    expect(JSON.stringify(refused)).not.toContain('a1B2c3D4a1B2c3D4');
  });

  it("records a session's executions under the session's run, and counts them in the sandbox metrics", async () => {
    const runId = newRun();
    await http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit: 1 }).expect(201);
    const session = await http().post('/api/v1/safety/sandbox/sessions').send({ run_id: runId }).expect(201);
    const id = session.body.session_id as string;
    const counted = async () => sandboxExecutions(await http().get('/metrics').expect(200));
    const before = await counted();
    const res = await http()
      .post(`/api/v1/safety/sandbox/sessions/${id}/execute`)
      .send({ command: 'exit 3' })
      .expect(200);
    expect(res.body.run_id).toBe(runId);
    const [execution] = (await trail(runId)).filter((event) => event.type === 'sandbox.execution');
    expect(execution).toMatchObject({
      outcome: 'ok',
      data: { command: 'exit 3', exit_code: 3, decision_id: res.body.decision_id, cost: res.body.cost },
    });
    expect((await counted()) - before).toBe(1);
    await http().delete(`/api/v1/safety/sandbox/sessions/${id}`).expect(204);
  });

  it('has a registered route, parameter names included, for every entry of the domain-event table', () => {
    const fastify = app.getHttpAdapter().getInstance();
    for (const key of Object.keys(DOMAIN_EVENT_ROUTES)) {
      const [method, url] = key.split(' ');
      // Looked up as a literal path, each `:name` segment of the key must land in a parameter of that name.
      const params = Object.fromEntries([...url.matchAll(/:(\w+)/g)].map(([segment, name]) => [name, segment]));
      expect({ key, params: fastify.findRoute({ method: method as 'POST', url })?.params }).toEqual({ key, params });
    }
  });

  it("files a spend's event from the ledger's script exactly as the response describes it, for every outcome", async () => {
    const runId = newRun();
    await http()
      .post('/api/v1/safety/budget/create')
      .send({ run_id: runId, limit: 3.5, alert_thresholds: [0.1, 0.333333, 0.9] })
      .expect(201);
    const calls: Array<{ body: Record<string, unknown>; status: number }> = [
      { body: { run_id: runId, amount: 0.000001 }, status: 200 },
      { body: { run_id: runId, amount: 0.35, idempotency_key: 'k-1' }, status: 200 },
      { body: { run_id: runId, amount: 0.35, idempotency_key: 'k-1' }, status: 200 }, // replayed
      { body: { run_id: runId, amount: 0.9, idempotency_key: 'k-1' }, status: 409 }, // key reused
      { body: { run_id: runId, amount: 1.123457 }, status: 200 },
      { body: { run_id: runId, amount: 5 }, status: 402 },
      { body: { run_id: runId, amount: 2.5, allow_overage: true }, status: 200 }, // over the limit
      { body: { run_id: runId, amount: 1e-6, allow_overage: false }, status: 402 },
      { body: { run_id: `${runId}-none`, amount: 1 }, status: 404 },
    ];
    const requestIds: string[] = [];
    for (const call of calls) {
      const res = await http().post('/api/v1/safety/budget/spend').send(call.body).expect(call.status);
      requestIds.push(String(res.headers['x-request-id']));
    }
    const filed = [...(await trail(runId)), ...(await trail(`${runId}-none`))].filter(
      (event) => event.type === 'budget.spend',
    );
    expect(filed.map((event) => event.request_id)).toEqual(requestIds);
    // The log line is built from the HTTP response, as for any event not filed by the store.
    const logged = new Map(
      logs
        .map((text) => JSON.parse(text))
        .filter((entry) => entry.audit?.type === 'budget.spend')
        .map((entry) => [entry.audit.request_id, entry.audit]),
    );
    for (const event of filed) {
      const { id, ...rest } = event;
      expect(id).toMatch(/^\d+-\d+$/);
      expect(rest).toEqual(logged.get(event.request_id));
    }
    expect(filed.map((event) => event.outcome)).toEqual([
      'ok',
      'ok',
      'ok',
      'IDEMPOTENCY_KEY_REUSED',
      'ok',
      'BUDGET_EXCEEDED',
      'ok',
      'BUDGET_EXCEEDED',
      'BUDGET_NOT_FOUND',
    ]);
    expect(filed[6].data).toMatchObject({
      exceeded: true,
      state: 'exhausted',
      thresholds_crossed: [0.1, 0.333333, 0.9],
    });
  });

  it('redacts secrets before the event is stored or logged', async () => {
    const runId = newRun();
    await http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit: 1 }).expect(201);
    await http()
      .post('/api/v1/safety/budget/spend')
      .send({ run_id: runId, amount: 0.01, idempotency_key: OPENAI_KEY })
      .expect(200);
    const spend = (await trail(runId)).find((event) => event.type === 'budget.spend');
    expect(spend?.data.idempotency_key).toBe('[REDACTED:OPENAI_API_KEY]');
    const stored = await redis.xrange(streamKey(runId), '-', '+');
    expect(JSON.stringify(stored)).not.toContain(OPENAI_KEY);
    const line = logs
      .map((text) => JSON.parse(text))
      .find((entry) => entry.audit?.run_id === runId && entry.audit.type === 'budget.spend');
    expect(line).toMatchObject({ context: 'Audit', audit: { data: { idempotency_key: '[REDACTED:OPENAI_API_KEY]' } } });
    expect(logs.join('\n')).not.toContain(OPENAI_KEY);
  });

  it('files the events of a run id that looks like a secret under the id as sent, the id redacted inside them', async () => {
    const runId = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    await http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit: 1 }).expect(201);
    await http().post('/api/v1/safety/budget/spend').send({ run_id: runId, amount: 0.01 }).expect(200);
    await http()
      .post('/api/v1/safety/check')
      .send({ action: 'execute_code', context: { command: 'ls', run_id: runId } })
      .expect(200);
    const events = await trail(runId);
    expect(events.map((event) => event.type)).toEqual(['budget.create', 'budget.spend', 'policy.decision']);
    for (const event of events) expect(event.run_id).toMatch(/^\[REDACTED:GITHUB/);
    expect(JSON.stringify(await redis.xrange(streamKey(runId), '-', '+'))).not.toContain(runId);
    const runs = await http().get('/api/v1/safety/runs?limit=100').expect(200);
    expect(JSON.stringify(runs.body)).toContain(runId);
  });

  it('keeps a bounded stream that expires after the run goes quiet, and serves the most recent events', async () => {
    const runId = newRun();
    const total = 3 * STREAM_NODE_ENTRIES;
    for (let i = 0; i < total; i++) {
      await http()
        .post('/api/v1/safety/check')
        .send({ action: 'execute_code', context: { command: `echo ${i}`, run_id: runId } })
        .expect(200);
    }
    const length = await redis.xlen(streamKey(runId));
    expect(length).toBeGreaterThanOrEqual(MAX_EVENTS);
    expect(length).toBeLessThanOrEqual(MAX_EVENTS + STREAM_NODE_ENTRIES);
    const ttl = await redis.ttl(streamKey(runId));
    expect(ttl).toBeGreaterThan(TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);

    const latest = await trail(runId, 3);
    expect(latest.map((event) => event.data.decision_id)).toHaveLength(3);
    const ids = latest.map((event) => event.id);
    expect([...ids].sort(compareStreamIds)).toEqual(ids);
    const newest = (await redis.xrevrange(streamKey(runId), '+', '-', 'COUNT', 1))[0][0];
    expect(ids[2]).toBe(newest);
  });

  it('answers 400 naming run_id for a trail id that is not a run id', async () => {
    for (const bad of ['a%00b', '-leading-dash', 'has%20space', encodeURIComponent('x}y')]) {
      const res = await http().get(`/api/v1/safety/audit/${bad}`).expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ pointer: '/run_id' }] });
      expect(res.body.detail).toContain('path');
    }
  });

  it('files nothing under a context.run_id that is not a run id (it would become a Redis key)', async () => {
    const bogus = 'x}' + 'y'.repeat(200);
    const res = await http()
      .post('/api/v1/safety/check')
      .send({ action: 'execute_code', context: { command: 'ls', run_id: bogus } })
      .expect(200);
    expect(res.body.decision).toBe('allow');
    expect(await redis.exists(streamKey(bogus))).toBe(0);
  });
});

/** All sandbox executions counted so far, whatever their outcome. */
function sandboxExecutions(metrics: request.Response): number {
  return [...metrics.text.matchAll(/^safety_sandbox_executions_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, [, count]) => sum + Number(count),
    0,
  );
}

function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(BigInt);
  const [bMs, bSeq] = b.split('-').map(BigInt);
  return aMs === bMs ? Number(aSeq - bSeq) : aMs < bMs ? -1 : 1;
}
