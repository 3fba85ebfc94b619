import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp, createTestAppWithLogs } from './support/create-test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('POST /api/v1/safety/check', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const check = (body: unknown) =>
    request(app.getHttpServer())
      .post('/api/v1/safety/check')
      .send(body as object);

  it('allows the product examples npm install and npm test (a script it has not seen, and says so)', async () => {
    for (const [command, rule] of [
      ['npm install', 'exec.allowed'],
      ['npm test', 'exec.unseen_script'],
    ]) {
      const res = await check({ action: 'execute_code', context: { command } }).expect(200);
      expect(res.body).toEqual({
        allowed: true,
        decision: 'allow',
        requires_approval: false,
        reason: expect.any(String),
        action: 'execute_code',
        risk: 'low',
        rule_ids: [rule],
        matched_rules: [{ id: rule, source: 'builtin' }],
        policy_version: expect.stringMatching(/^[0-9a-f]{16}$/),
        decision_id: expect.stringMatching(UUID),
      });
    }
  });

  it('judges npm test by the package.json script it runs when the files are given', async () => {
    const res = await check({
      action: 'execute_code',
      context: { command: 'npm test', files: { 'package.json': '{"scripts":{"test":"rm -rf ~"}}' } },
    }).expect(200);
    expect(res.body).toMatchObject({
      decision: 'deny',
      rule_ids: expect.arrayContaining([expect.stringMatching(/^fs\.delete_/)]),
    });
    const bad = await check({ action: 'execute_code', context: { command: 'npm test', files: { 'package.json': 1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ pointer: '/context/files', detail: 'files must be an object of strings' }]);
  });

  it('answers a deny as a 200 decision with a reason about destructive patterns', async () => {
    const res = await check({ action: 'execute_code', context: { command: 'rm -rf /', cwd: '/home/dev/app' } }).expect(
      200,
    );
    expect(res.body).toMatchObject({ allowed: false, decision: 'deny', requires_approval: false, risk: 'critical' });
    expect(res.body.reason).toMatch(/destructive pattern/i);
    expect(res.body.rule_ids).toContain('fs.delete_root');
  });

  it('judges what bash will run, not the raw text', async () => {
    const res = await check({
      action: 'execute_code',
      context: { command: "echo cm0gLXJmIC8= | base64 -d | b''ash", cwd: '/home/dev/app' },
    }).expect(200);
    expect(res.body.decision).toBe('deny');
  });

  it('returns approval with requires_approval for a production deploy', async () => {
    const res = await check({ action: 'deploy', context: { environment: ' PROD ' } }).expect(200);
    expect(res.body).toMatchObject({
      allowed: false,
      decision: 'approval',
      requires_approval: true,
      rule_ids: ['deploy.production'],
    });
  });

  it('never lets self-asserted approval change a decision, and keeps unknown keys', async () => {
    const res = await check({
      action: 'create_billing',
      context: {
        amount_usd: 49,
        plan: 'pro',
        approved: true,
        approved_by: 'cfo',
        requires_approval: false,
        ticket: 'X-1',
      },
    }).expect(200);
    expect(res.body).toMatchObject({
      decision: 'approval',
      requires_approval: true,
      rule_ids: ['billing.requires_approval'],
    });
  });

  it('covers delete_files and network_access', async () => {
    expect(
      (await check({ action: 'delete_files', context: { path: '/etc', recursive: true } }).expect(200)).body.decision,
    ).toBe('deny');
    expect(
      (await check({ action: 'network_access', context: { domain: 'registry.npmjs.org' } }).expect(200)).body.decision,
    ).toBe('allow');
    expect(
      (await check({ action: 'network_access', context: { url: 'http://[::ffff:a9fe:a9fe]/' } }).expect(200)).body
        .rule_ids,
    ).toEqual(['net.metadata_endpoint']);
  });

  it('rejects an unknown action with 400 naming the allowed values', async () => {
    const res = await check({ action: 'launch_missiles', context: {} })
      .expect(400)
      .expect('content-type', /application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors).toEqual([
      {
        pointer: '/action',
        detail: 'action must be one of: execute_code, deploy, create_billing, delete_files, network_access',
      },
    ]);
  });

  it('rejects a missing per-action field with 400 pointing at it', async () => {
    const res = await check({ action: 'execute_code', context: { cwd: '/home/dev/app' } }).expect(400);
    expect(res.body).toMatchObject({
      code: 'POLICY_INVALID_CONTEXT',
      status: 400,
      errors: [{ pointer: '/context/command', detail: expect.stringContaining('command') }],
    });
    const wrongType = await check({ action: 'network_access', context: { domain: 'github.com', port: '443' } }).expect(
      400,
    );
    expect(wrongType.body.errors).toEqual([{ pointer: '/context/port', detail: 'port must be a number' }]);
  });

  it('rejects a missing context and unknown top-level fields', async () => {
    expect((await check({ action: 'deploy' }).expect(400)).body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ pointer: '/context' })]),
    );
    expect(
      (await check({ action: 'deploy', context: { environment: 'dev' }, approved: true }).expect(400)).body.errors,
    ).toEqual([{ pointer: '/approved', detail: 'unknown field approved is not allowed' }]);
  });
});

describe('policy decision log', () => {
  it('writes one structured policy.decision line per decision, with its decision_id, request id, logger context and masked action context', async () => {
    const { app, logs } = await createTestAppWithLogs();
    let decisionId: string;
    let requestId: string;
    try {
      const res = await request(app.getHttpServer())
        .post('/api/v1/safety/check')
        .send({ action: 'execute_code', context: { command: 'rm -rf /', api_token: 'tok-123456', ticket: 'T-1' } })
        .expect(200);
      decisionId = res.body.decision_id;
      requestId = res.headers['x-request-id'];
    } finally {
      await app.close();
    }
    const entries = logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.event === 'policy.decision');
    expect(entries).toEqual([
      expect.objectContaining({
        decision_id: decisionId,
        request_id: requestId,
        action: 'execute_code',
        decision: 'deny',
        rule_ids: ['fs.delete_root'],
        context: 'PolicyGate',
        action_context: {
          command: 'rm -rf /',
          api_token: expect.stringMatching(/^\[REDACTED(:[A-Z_]+)?\]$/),
          ticket: 'T-1',
        },
      }),
    ]);
  });
});

describe('bounded contexts and log lines', () => {
  it('refuses a context of 90,000 keys with a 400 naming /context, and writes no line over the cap', async () => {
    const { app, logs } = await createTestAppWithLogs();
    try {
      const context: Record<string, unknown> = { command: 'ls' };
      for (let i = 0; i < 90_000; i++) context[`k${i}`] = i;
      const res = await request(app.getHttpServer())
        .post('/api/v1/safety/check')
        .send({ action: 'execute_code', context })
        .expect(400);
      expect(res.body).toMatchObject({ code: 'POLICY_INVALID_CONTEXT', errors: [{ pointer: '/context' }] });
      expect(res.body.detail).toMatch(/at most 256/);
      // Within the bounds, a wide context is logged with its first keys and a count of the rest.
      const wide: Record<string, unknown> = { command: 'ls' };
      for (let i = 0; i < 200; i++) wide[`tag_${i}`] = 'x'.repeat(60);
      await request(app.getHttpServer())
        .post('/api/v1/safety/check')
        .send({ action: 'execute_code', context: wide })
        .expect(200);
    } finally {
      await app.close();
    }
    expect(Math.max(...logs.map((line) => line.length))).toBeLessThanOrEqual(16 * 1024);
    const decision = logs.map((line) => JSON.parse(line)).find((line) => line.event === 'policy.decision');
    expect(decision.action_context['…']).toBe('151 more keys');
  });
});

describe('POST /api/v1/safety/check with POLICY_FILE', () => {
  it('applies the policy file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-e2e-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'enable_code_execution: false\nnetwork:\n  allowlist: [api.example.com]\n');
    const app = await createTestApp({ POLICY_FILE: file });
    try {
      const denied = await request(app.getHttpServer())
        .post('/api/v1/safety/check')
        .send({ action: 'execute_code', context: { command: 'ls' } })
        .expect(200);
      expect(denied.body).toMatchObject({ decision: 'deny', rule_ids: ['exec.disabled'] });
      const allowed = await request(app.getHttpServer())
        .post('/api/v1/safety/check')
        .send({ action: 'network_access', context: { domain: 'api.example.com' } })
        .expect(200);
      expect(allowed.body.decision).toBe('allow');
    } finally {
      await app.close();
    }
  });

  it('refuses to boot with an invalid policy file, naming the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-e2e-'));
    const file = join(dir, 'policy.yaml');
    writeFileSync(file, 'network:\n  alowlist: [x]\n');
    await expect(createTestApp({ POLICY_FILE: file })).rejects.toThrow(/network\.alowlist/);
  });
});
