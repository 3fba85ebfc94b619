import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { createTestApp } from './support/create-test-app';
import { principalsFor, type TestPrincipal, writeKeysFile } from './support/principals';

/**
 * Human approval end to end, on the real Redis with two app instances (decisions made on one wake
 * waiters on the other), the bubblewrap sandbox, a webhook receiver and the JWKS.
 */
const PRINCIPALS = principalsFor('approvals', ['ap-acme', 'ap-globex']);
const who = (id: string): TestPrincipal => PRINCIPALS.find((p) => p.id === id)!;
const AGENT = who('ap-acme-agent');
const OPERATOR = who('ap-acme-operator');
const ADMIN = who('ap-acme-admin');
const OTHER_OPERATOR = who('ap-globex-operator');
const WEBHOOK_SECRET = `whsec_${Buffer.from('approvals-e2e-webhook-secret-32b').toString('base64')}`;

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

function startReceiver(): Promise<{ server: Server; url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, deliveries }),
    ),
  );
}

async function eventually<T>(read: () => T | Promise<T>, ok: (value: T) => boolean, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

describe('human approval (real Redis, two instances)', () => {
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let keysFile: string;
  let policyDir: string;
  const workspaceDir = join(tmpdir(), `approvals-e2e-${process.pid}`);

  const on = (app: NestFastifyApplication, method: 'get' | 'post', path: string, p: TestPrincipal) =>
    request(app.getHttpServer())
      [method](path.startsWith('/') ? path : `/api/v1/safety/${path}`)
      .set('x-api-key', p.key);
  const ask = (body: Record<string, unknown>, p = AGENT, app = first) => on(app, 'post', 'approvals', p).send(body);
  const decide = (id: string, p: TestPrincipal, decision = 'approve', app = first) =>
    on(app, 'post', `approvals/${id}/decision`, p).send({ decision, comment: 'looked at it' });
  const check = (body: Record<string, unknown>, p = AGENT, app = first) => on(app, 'post', 'check', p).send(body);
  const deploy = (service: string, runId?: string) => ({
    action: 'deploy',
    context: { environment: 'production', service, ...(runId ? { run_id: runId } : {}) },
  });

  beforeAll(async () => {
    keysFile = writeKeysFile(PRINCIPALS);
    policyDir = mkdtempSync(join(tmpdir(), 'approvals-policy-'));
    writeFileSync(join(policyDir, 'policy.yaml'), 'approvals:\n  actions:\n    create_billing: 2\n');
    receiver = await startReceiver();
    const env = {
      REDIS_URL: requireTestRedisUrl(),
      SAFETY_API_KEYS_FILE: keysFile,
      POLICY_FILE: join(policyDir, 'policy.yaml'),
      SANDBOX_PROVIDER: 'local',
      SANDBOX_WORKSPACE_DIR: workspaceDir,
      SANDBOX_HOST_UID: '10021',
      SANDBOX_WORKSPACE_MB: '4',
      APPROVAL_WEBHOOK_URL: receiver.url,
      APPROVAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    };
    first = await createTestApp(env);
    second = await createTestApp(env);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    receiver?.server.close();
    rmSync(dirname(keysFile), { recursive: true, force: true });
    rmSync(policyDir, { recursive: true, force: true });
    rmSync(workspaceDir, { recursive: true, force: true });
  });

  it('request → an operator approves → the grant is used once → a second use is refused; all audited', async () => {
    const runId = `ap-run-${randomUUID()}`;
    await on(first, 'post', 'budget/create', AGENT).send({ run_id: runId }).expect(201);
    const action = deploy('api', runId);
    const asked = await ask({ ...action, run_id: runId, justification: 'release 1.4.2' }).expect(201);
    expect(asked.body).toMatchObject({
      status: 'pending',
      tenant: 'ap-acme',
      run_id: runId,
      action: 'deploy',
      requested_by: 'ap-acme-agent',
      justification: 'release 1.4.2',
      required_approvals: 1,
      decisions: [],
      receipt: null,
      rule_ids: expect.arrayContaining(['deploy.production']),
    });
    expect(asked.body.action_digest).toMatch(/^[0-9a-f]{64}$/);
    // The same requester asking again for the same action and run gets the same approval back.
    const again = await ask({ ...action, run_id: runId }).expect(200);
    expect(again.body.approval_id).toBe(asked.body.approval_id);

    const id = asked.body.approval_id as string;
    const approved = await decide(id, OPERATOR).expect(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      decisions: [{ by: 'ap-acme-operator', decision: 'approve', comment: 'looked at it' }],
    });
    expect(approved.body.receipt).toEqual(expect.any(String));

    // Without the grant the policy still asks; with it, the call is allowed once.
    expect((await check(action).expect(200)).body.decision).toBe('approval');
    const used = await check({ ...action, approval_id: id }).expect(200);
    expect(used.body).toMatchObject({
      decision: 'allow',
      allowed: true,
      approval_id: id,
      approved_by: ['ap-acme-operator'],
    });
    const reused = await check({ ...action, approval_id: id }, AGENT, second).expect(200);
    expect(reused.body).toMatchObject({ decision: 'approval', allowed: false, approval_error: 'APPROVAL_CONSUMED' });
    expect((await on(second, 'get', `approvals/${id}`, AGENT).expect(200)).body.status).toBe('consumed');

    const trail = await eventually(
      async () => (await on(first, 'get', `audit/${runId}`, OPERATOR)).body.events as Array<Record<string, unknown>>,
      (events) => (events ?? []).some((e) => e.type === 'approval.consumed'),
    );
    expect(trail.filter((e) => String(e.type).startsWith('approval.')).map((e) => [e.type, e.key_id])).toEqual([
      ['approval.requested', 'ap-acme-agent'],
      ['approval.approved', 'ap-acme-operator'],
      ['approval.consumed', 'ap-acme-agent'],
    ]);
  });

  it('counts approvals in the metrics', async () => {
    const metrics = (await request(first.getHttpServer()).get('/metrics').expect(200)).text;
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? 'NaN');
    expect(value('safety_approvals_total{outcome="requested"}')).toBeGreaterThanOrEqual(1);
    expect(value('safety_approvals_total{outcome="approved"}')).toBeGreaterThanOrEqual(1);
    expect(value('safety_approvals_total{outcome="consumed"}')).toBeGreaterThanOrEqual(1);
    expect(value('safety_approval_time_to_decision_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^safety_approvals_pending -?\d+$/m);
  });

  it('a grant is bound to its action and run', async () => {
    const runId = `ap-run-${randomUUID()}`;
    const id = (await ask({ ...deploy('billing-api'), run_id: runId }).expect(201)).body.approval_id as string;
    expect((await check({ ...deploy('billing-api', runId), approval_id: id })).body.approval_error).toBe(
      'APPROVAL_NOT_APPROVED',
    );
    await decide(id, OPERATOR).expect(200);
    expect((await check({ ...deploy('other-service', runId), approval_id: id })).body).toMatchObject({
      decision: 'approval',
      approval_error: 'APPROVAL_MISMATCH',
    });
    expect((await check({ ...deploy('billing-api', 'another-run'), approval_id: id })).body.approval_error).toBe(
      'APPROVAL_MISMATCH',
    );
    expect(
      (await check({ ...deploy('billing-api', runId), approval_id: id }, who('ap-globex-agent'))).body.approval_error,
    ).toBe('APPROVAL_NOT_FOUND');
    // A deny stays a deny, and leaves the grant unused.
    const denied = await check({ action: 'execute_code', context: { command: 'rm -rf /' }, approval_id: id });
    expect(denied.body).toMatchObject({ decision: 'deny', approval_error: 'APPROVAL_NOT_APPLICABLE' });
    expect((await check({ ...deploy('billing-api', runId), approval_id: id })).body.decision).toBe('allow');
  });

  it('nobody decides their own; an agent cannot decide; another tenant sees nothing', async () => {
    const mine = (await ask(deploy(`self-${randomUUID()}`), OPERATOR).expect(201)).body.approval_id as string;
    expect((await decide(mine, OPERATOR).expect(403)).body.code).toBe('SELF_APPROVAL');
    const id = (await ask(deploy(`svc-${randomUUID()}`)).expect(201)).body.approval_id as string;
    expect((await decide(id, AGENT).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    const foreign = await decide(id, OTHER_OPERATOR).expect(404);
    const missing = await decide(`apr_${'0'.repeat(32)}`, OTHER_OPERATOR).expect(404);
    expect(foreign.body.code).toBe(missing.body.code);
    await on(first, 'get', `approvals/${id}`, OTHER_OPERATOR).expect(404);
    // Another agent of the same tenant cannot see it either; the operator can.
    const listed = await on(first, 'get', 'approvals?status=pending', OPERATOR).expect(200);
    expect(listed.body.approvals.map((a: { approval_id: string }) => a.approval_id)).toContain(id);
    const foreignList = await on(first, 'get', 'approvals', OTHER_OPERATOR).expect(200);
    expect(JSON.stringify(foreignList.body)).not.toContain(id);
    expect((await on(first, 'get', `approvals/${id}`, AGENT).expect(200)).body.status).toBe('pending');
  });

  it('needs two distinct approvers where the policy file says so; one reject rejects', async () => {
    const billing = { action: 'create_billing', context: { amount_usd: 120, plan: `team-${randomUUID()}` } };
    const asked = await ask(billing).expect(201);
    expect(asked.body.required_approvals).toBe(2);
    const id = asked.body.approval_id as string;
    expect((await decide(id, OPERATOR).expect(200)).body.status).toBe('pending');
    expect((await decide(id, OPERATOR).expect(409)).body.code).toBe('APPROVAL_NOT_PENDING');
    const done = await decide(id, ADMIN, 'approve', second).expect(200);
    expect(done.body).toMatchObject({ status: 'approved' });
    expect(done.body.decisions.map((d: { by: string }) => d.by)).toEqual(['ap-acme-operator', 'ap-acme-admin']);

    const other = (await ask({ ...billing, context: { ...billing.context, plan: `x-${randomUUID()}` } }).expect(201))
      .body.approval_id as string;
    await decide(other, OPERATOR, 'approve').expect(200);
    expect((await decide(other, ADMIN, 'reject').expect(200)).body.status).toBe('rejected');
    expect((await decide(other, ADMIN, 'approve').expect(409)).body.code).toBe('APPROVAL_NOT_PENDING');
  });

  it('lets exactly one of 100 concurrent uses through, across two instances', async () => {
    const action = deploy(`race-${randomUUID()}`);
    const id = (await ask(action).expect(201)).body.approval_id as string;
    await decide(id, OPERATOR).expect(200);
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => check({ ...action, approval_id: id }, AGENT, i % 2 ? first : second)),
    );
    expect(answers.every((res) => res.status === 200)).toBe(true);
    expect(answers.filter((res) => res.body.decision === 'allow')).toHaveLength(1);
    expect(
      new Set(answers.filter((res) => res.body.decision !== 'allow').map((res) => res.body.approval_error)),
    ).toEqual(new Set(['APPROVAL_CONSUMED']));
  });

  it('wakes a long-poll within 1 s of a decision made on the other instance', async () => {
    const id = (await ask(deploy(`wait-${randomUUID()}`)).expect(201)).body.approval_id as string;
    const started = Date.now();
    const waiting = on(first, 'get', `approvals/${id}?wait=20`, AGENT);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const decidedAt = Date.now();
    await decide(id, OPERATOR, 'approve', second).expect(200);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('approved');
    expect(Date.now() - decidedAt).toBeLessThan(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // Not pending: it answers at once.
    const quick = Date.now();
    await on(first, 'get', `approvals/${id}?wait=20`, AGENT).expect(200);
    expect(Date.now() - quick).toBeLessThan(1000);
  });

  it('answers a list long-poll at once for a change made since the version the client last saw', async () => {
    const { version } = (await on(first, 'get', 'approvals/changes?wait=0', OPERATOR).expect(200)).body;
    await ask(deploy(`since-${randomUUID()}`)).expect(201);
    const started = Date.now();
    const answer = (await on(second, 'get', `approvals/changes?wait=20&since=${version}`, OPERATOR).expect(200)).body;
    expect(answer.changed).toBe(true);
    expect(answer.version).toBeGreaterThan(version);
    expect(Date.now() - started).toBeLessThan(1000);
    // Nothing new since: it waits, and a decision on the other instance wakes it.
    const waiting = on(first, 'get', `approvals/changes?wait=20&since=${answer.version}`, OPERATOR);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await ask(deploy(`since-${randomUUID()}`), AGENT, second).expect(201);
    const woken = (await waiting.expect(200)).body;
    expect(woken.changed).toBe(true);
    expect(Date.now() - started).toBeLessThan(3000);
    // Another tenant's changes never concern this one.
    const other = (await on(first, 'get', 'approvals/changes?wait=0', OTHER_OPERATOR).expect(200)).body.version;
    expect(
      (await on(first, 'get', `approvals/changes?wait=1&since=${other}`, OTHER_OPERATOR).expect(200)).body.changed,
    ).toBe(false);
  });

  it('lets the requester cancel a pending request, once, and nobody else', async () => {
    const action = deploy(`cancel-${randomUUID()}`);
    const id = (await ask(action).expect(201)).body.approval_id as string;
    expect((await on(first, 'post', `approvals/${id}/cancel`, OPERATOR).expect(403)).body.code).toBe(
      'APPROVAL_NOT_REQUESTER',
    );
    expect((await on(first, 'post', `approvals/${id}/cancel`, AGENT).expect(200)).body.status).toBe('cancelled');
    expect((await on(first, 'post', `approvals/${id}/cancel`, AGENT).expect(409)).body.code).toBe(
      'APPROVAL_NOT_PENDING',
    );
    expect((await decide(id, OPERATOR).expect(409)).body.code).toBe('APPROVAL_NOT_PENDING');
    expect((await check({ ...action, approval_id: id })).body.approval_error).toBe('APPROVAL_NOT_APPROVED');
  });

  it('answers bad input with a clear 4xx and changes nothing', async () => {
    const before = (await on(first, 'get', 'approvals?limit=100', OPERATOR).expect(200)).body.approvals.length;
    const allowed = await ask({ action: 'execute_code', context: { command: 'ls' } }).expect(409);
    expect(allowed.body.code).toBe('APPROVAL_NOT_NEEDED');
    expect((await ask({ action: 'execute_code', context: { command: 'rm -rf /' } }).expect(403)).body.code).toBe(
      'POLICY_DENIED',
    );
    for (const body of [
      { action: 'deploy', context: 'production' },
      { action: 'fly', context: {} },
      { action: 'deploy', context: { environment: 'production' }, run_id: 'has space' },
      { action: 'deploy', context: { environment: 'production' }, extra: 1 },
    ]) {
      expect((await ask(body).expect(400)).body.code).toBe('VALIDATION_FAILED');
    }
    const id = `apr_${'1'.repeat(32)}`;
    expect((await on(first, 'get', `approvals/${id}`, AGENT).expect(404)).body.code).toBe('APPROVAL_NOT_FOUND');
    expect((await on(first, 'get', 'approvals/not-an-id', AGENT).expect(404)).body.code).toBe('APPROVAL_NOT_FOUND');
    for (const wait of ['61', '-1', 'abc', '1.5']) {
      const res = await on(first, 'get', `approvals/${id}?wait=${wait}`, AGENT).expect(400);
      expect(res.body.errors[0].pointer).toBe('/wait');
    }
    const real = (await ask(deploy(`bad-${randomUUID()}`)).expect(201)).body.approval_id as string;
    expect(
      (await on(first, 'post', `approvals/${real}/decision`, OPERATOR).send({ decision: 'maybe' }).expect(400)).body
        .errors[0].pointer,
    ).toBe('/decision');
    expect((await on(first, 'get', `approvals/${real}`, AGENT).expect(200)).body.status).toBe('pending');
    expect((await on(first, 'get', 'approvals?status=nope', OPERATOR).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await on(first, 'get', 'approvals?limit=100', OPERATOR).expect(200)).body.approvals.length).toBe(
      before + 1,
    );
  });

  it('signs a receipt that verifies with the JWKS and fails after any change', async () => {
    const runId = `ap-run-${randomUUID()}`;
    const id = (await ask({ ...deploy('receipt'), run_id: runId }).expect(201)).body.approval_id as string;
    const approved = (await decide(id, OPERATOR).expect(200)).body;
    const jwks = (await request(first.getHttpServer()).get('/.well-known/jwks.json').expect(200)).body;
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: expect.any(String) });
    expect(jwks.keys[0].d).toBeUndefined();
    const keySet = createLocalJWKSet(jwks);
    const { payload, protectedHeader } = await jwtVerify(approved.receipt, keySet, { issuer: 'safety-api' });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: jwks.keys[0].kid });
    expect(payload).toMatchObject({
      sub: id,
      tenant: 'ap-acme',
      run_id: runId,
      action_digest: approved.action_digest,
      approved_by: ['ap-acme-operator'],
    });
    expect(payload.exp).toBe(Math.floor(Date.parse(approved.expires_at) / 1000));
    const [header, body, signature] = (approved.receipt as string).split('.');
    const flipped = (text: string) => text.slice(0, 10) + (text[10] === 'A' ? 'B' : 'A') + text.slice(11);
    for (const tampered of [`${header}.${flipped(body)}.${signature}`, `${header}.${body}.${flipped(signature)}`]) {
      await expect(jwtVerify(tampered, keySet)).rejects.toThrow();
    }
  });

  it('delivers approval events signed per Standard Webhooks', async () => {
    const id = (await ask(deploy(`hook-${randomUUID()}`)).expect(201)).body.approval_id as string;
    await decide(id, OPERATOR).expect(200);
    const verifier = new Webhook(WEBHOOK_SECRET);
    const mine = () =>
      receiver.deliveries
        .map((d) => ({
          ...d,
          event: verifier.verify(d.body, d.headers as Record<string, string>) as {
            type: string;
            data: { approval_id: string };
          },
        }))
        .filter((d) => d.event.data.approval_id === id);
    const delivered = await eventually(mine, (events) => events.length >= 2);
    expect(delivered.map((d) => d.event.type).sort()).toEqual(['approval.approved', 'approval.requested']);
    const forged = {
      ...delivered[0].headers,
      'webhook-signature': 'v1,' + Buffer.from('x'.repeat(32)).toString('base64'),
    };
    expect(() => verifier.verify(delivered[0].body, forged as unknown as Record<string, string>)).toThrow();
  });

  it('does not spend a grant on a command the budget refuses', async () => {
    const runId = `ap-run-${randomUUID()}`;
    await on(first, 'post', 'budget/create', AGENT).send({ run_id: runId, limit: 0.000001 }).expect(201);
    const command = 'sudo true; echo poor';
    const id = (await ask({ action: 'execute_code', context: { command }, run_id: runId }).expect(201)).body
      .approval_id as string;
    await decide(id, OPERATOR).expect(200);
    const refused = await on(first, 'post', 'sandbox/execute', AGENT)
      .send({ run_id: runId, command, approval_id: id, timeout_ms: 5000 })
      .expect(402);
    expect(refused.body.code).toBe('BUDGET_EXCEEDED');
    expect((await on(first, 'get', `approvals/${id}`, AGENT).expect(200)).body.status).toBe('approved');
  });

  it('runs a sandboxed command that needs approval once with an approved grant', async () => {
    const runId = `ap-run-${randomUUID()}`;
    await on(first, 'post', 'budget/create', AGENT).send({ run_id: runId, limit: 1 }).expect(201);
    const command = 'sudo true; echo ran';
    const execute = () =>
      on(first, 'post', 'sandbox/execute', AGENT).send({ run_id: runId, command, approval_id: id, timeout_ms: 5000 });
    const id = (await ask({ action: 'execute_code', context: { command }, run_id: runId }).expect(201)).body
      .approval_id as string;
    const early = await execute().expect(403);
    expect(early.body).toMatchObject({ code: 'POLICY_APPROVAL_REQUIRED', approval_error: 'APPROVAL_NOT_APPROVED' });
    await decide(id, OPERATOR).expect(200);
    const ran = await execute().expect(200);
    expect(ran.body.stdout).toContain('ran');
    const again = await execute().expect(403);
    expect(again.body).toMatchObject({ code: 'POLICY_APPROVAL_REQUIRED', approval_error: 'APPROVAL_CONSUMED' });

    // The same in a session: the grant is bound to the session's run.
    const session = (await on(first, 'post', 'sandbox/sessions', AGENT).send({ run_id: runId }).expect(201)).body
      .session_id as string;
    const inSession = (approvalId: string) =>
      on(first, 'post', `sandbox/sessions/${session}/execute`, AGENT).send({ command, approval_id: approvalId });
    const grant = (await ask({ action: 'execute_code', context: { command }, run_id: runId }).expect(201)).body
      .approval_id as string;
    await decide(grant, OPERATOR).expect(200);
    expect((await inSession(grant).expect(200)).body.stdout).toContain('ran');
    expect((await inSession(grant).expect(403)).body.approval_error).toBe('APPROVAL_CONSUMED');
    await on(first, 'post', `sandbox/sessions/${session}/execute`, AGENT).send({ command: 'true' }).expect(200);
  });
});

describe('approval expiry', () => {
  const principals = principalsFor('approvals-expiry', ['ax-acme']);
  const [agent, operator] = principals;
  let app: NestFastifyApplication;
  let keysFile: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const on = (method: 'get' | 'post', path: string, p: TestPrincipal) =>
    request(app.getHttpServer())[method](`/api/v1/safety/${path}`).set('x-api-key', p.key);

  beforeAll(async () => {
    keysFile = writeKeysFile(principals);
    receiver = await startReceiver();
    app = await createTestApp({
      REDIS_URL: requireTestRedisUrl(),
      SAFETY_API_KEYS_FILE: keysFile,
      APPROVAL_TTL_SECONDS: '1',
      APPROVAL_GRANT_TTL_SECONDS: '1',
      APPROVAL_WEBHOOK_URL: receiver.url,
      APPROVAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
  });
  afterAll(async () => {
    await app?.close();
    receiver?.server.close();
    rmSync(dirname(keysFile), { recursive: true, force: true });
  });

  it('expires a pending request (visible to a waiter and in GET) and fires the webhook once', async () => {
    const id = (
      await on('post', 'approvals', agent).send({
        action: 'deploy',
        context: { environment: 'production', service: randomUUID() },
      })
    ).body.approval_id as string;
    const waited = await on('get', `approvals/${id}?wait=5`, agent).expect(200);
    expect(waited.body.status).toBe('expired');
    expect(
      (await on('post', `approvals/${id}/decision`, operator).send({ decision: 'approve' }).expect(409)).body.code,
    ).toBe('APPROVAL_NOT_PENDING');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const expired = receiver.deliveries.filter((d) => d.body.includes(id) && d.body.includes('"approval.expired"'));
    expect(expired).toHaveLength(1);
  });

  it('expires an approved grant that was not used in time', async () => {
    const action = { action: 'deploy', context: { environment: 'production', service: randomUUID() } };
    const id = (await on('post', 'approvals', agent).send(action)).body.approval_id as string;
    await on('post', `approvals/${id}/decision`, operator).send({ decision: 'approve' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const used = await on('post', 'check', agent)
      .send({ ...action, approval_id: id })
      .expect(200);
    expect(used.body).toMatchObject({ decision: 'approval', approval_error: 'APPROVAL_EXPIRED' });
    expect((await on('get', `approvals/${id}`, agent).expect(200)).body.status).toBe('expired');
  });
});
