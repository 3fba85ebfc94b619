import { FakeSecrets } from '@app/redaction/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp } from './support/create-test-app';

/**
 * safeExecute and the session endpoints over HTTP, with the real bubblewrap
 * provider, PolicyGate and budget ledger (embedded store).
 */
describe('sandbox over HTTP (local bubblewrap provider)', () => {
  const workspaceDir = join(tmpdir(), `sandbox-e2e-${process.pid}`);
  let app: NestFastifyApplication;
  let runSeq = 0;

  const http = () => request(app.getHttpServer());
  const newRun = async (limit: number): Promise<string> => {
    const runId = `run-sbx-${process.pid}-${++runSeq}`;
    await http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit }).expect(201);
    return runId;
  };
  const budgetOf = async (runId: string) =>
    (await http().get(`/api/v1/safety/budget/${runId}`).expect(200)).body as {
      spent: number;
      reserved: number;
      remaining: number;
    };

  beforeAll(async () => {
    app = await createTestApp({
      SANDBOX_PROVIDER: 'local',
      SANDBOX_WORKSPACE_DIR: workspaceDir,
      SANDBOX_HOST_UID: '10013',
      SANDBOX_COST_PER_SECOND: '0.01',
      SANDBOX_MAX_SESSIONS: '12',
    });
  });

  afterAll(async () => {
    await app?.close();
    await rm(workspaceDir, { recursive: true, force: true });
  });

  it('runs an allowed command and charges its measured time', async () => {
    const runId = await newRun(1);
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({
        run_id: runId,
        command: 'node /workspace/test.js',
        timeout_ms: 10_000,
        files: [{ path: 'test.js', content: 'console.log(6 * 7)' }],
      })
      .expect(200);
    expect(res.body).toMatchObject({
      exit_code: 0,
      stdout: '42\n',
      stderr: '',
      timed_out: false,
      truncated: false,
      decision_id: expect.any(String),
    });
    expect(res.body.cost).toBeGreaterThan(0);
    expect(res.body.cost).toBeCloseTo(Math.ceil(res.body.duration_ms * 10) / 1_000_000, 6);
    const budget = await budgetOf(runId);
    expect(budget).toMatchObject({ spent: res.body.cost, reserved: 0 });
    expect(res.body.budget_remaining).toBe(budget.remaining);
  });

  it('refuses a denied command with 403 POLICY_DENIED, never starts it, and charges nothing', async () => {
    const runId = await newRun(1);
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({ run_id: runId, command: 'rm -rf /' })
      .expect(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'POLICY_DENIED',
      decision: { decision: 'deny', decision_id: expect.any(String) },
    });
    expect(await budgetOf(runId)).toMatchObject({ spent: 0, reserved: 0 });
    const { events } = (await http().get(`/api/v1/safety/budget/${runId}/events`).expect(200)).body as {
      events: { type: string }[];
    };
    expect(events.map((event) => event.type)).toEqual(['budget_created']);
  });

  it('answers 403 POLICY_APPROVAL_REQUIRED for a command that needs a human', async () => {
    const runId = await newRun(1);
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({ run_id: runId, command: 'sudo ls' })
      .expect(403);
    expect(res.body).toMatchObject({ code: 'POLICY_APPROVAL_REQUIRED', decision: { decision: 'approval' } });
  });

  it('charges a timed-out command for the time it used', async () => {
    const runId = await newRun(1);
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({ run_id: runId, command: 'sleep 30', timeout_ms: 1000 })
      .expect(200);
    expect(res.body).toMatchObject({ timed_out: true, exit_code: 137 });
    expect(res.body.cost).toBeGreaterThan(0);
    expect(res.body.cost).toBeLessThanOrEqual(0.01);
    expect((await budgetOf(runId)).spent).toBe(res.body.cost);
  });

  it('never overspends one budget under concurrent executions', async () => {
    const runId = await newRun(0.05);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        http().post('/api/v1/safety/sandbox/execute').send({ run_id: runId, command: 'sleep 0.3', timeout_ms: 2000 }),
      ),
    );
    const ok = responses.filter((res) => res.status === 200);
    const refused = responses.filter((res) => res.status !== 200);
    expect(ok.length).toBeGreaterThan(0);
    for (const res of refused) expect(res.body).toMatchObject({ status: 402, code: 'BUDGET_EXCEEDED' });
    const budget = await budgetOf(runId);
    expect(budget.spent).toBeLessThanOrEqual(0.05);
    expect(budget.reserved).toBe(0);
    expect(budget.spent).toBeCloseTo(
      ok.reduce((sum, res) => sum + (res.body as { cost: number }).cost, 0),
      6,
    );
  });

  it('returns a secret printed by the command redacted', async () => {
    const runId = await newRun(1);
    const token = 'ghp_' + 'a1B2c3D4e5'.repeat(4);
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({
        run_id: runId,
        command: 'cat secret.txt; cat secret.txt >&2',
        files: [
          { path: 'secret.txt', content: Buffer.from(`token=${token}\n`).toString('base64'), encoding: 'base64' },
        ],
      })
      .expect(200);
    expect(res.body.stdout).not.toContain(token);
    expect(res.body.stderr).not.toContain(token);
    expect(res.body.stdout).toMatch(/token=\[REDACTED:[A-Z_]+\]/);
  });

  it('redacts a secret the command writes in two pieces, apart in time', async () => {
    const runId = await newRun(1);
    const key = new FakeSecrets().openaiProject();
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({
        run_id: runId,
        command: 'printf "key="; head -c 40 key.txt; sleep 0.2; tail -c +41 key.txt; printf "\\n"',
        files: [{ path: 'key.txt', content: key }],
      })
      .expect(200);
    expect(res.body.stdout).toBe('key=[REDACTED:OPENAI_API_KEY]\n');
  });

  it('404s an unknown run without starting anything', async () => {
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({ run_id: 'run-nobody-knows', command: 'true' })
      .expect(404);
    expect(res.body.code).toBe('BUDGET_NOT_FOUND');
  });

  it('rejects unknown fields and hostile upload paths with 400', async () => {
    const runId = await newRun(1);
    expect(
      (
        await http()
          .post('/api/v1/safety/sandbox/execute')
          .send({ run_id: runId, command: 'true', sudo: true })
          .expect(400)
      ).body.code,
    ).toBe('VALIDATION_FAILED');
    const res = await http()
      .post('/api/v1/safety/sandbox/execute')
      .send({ run_id: runId, command: 'true', files: [{ path: '../../etc/cron.d/x', content: 'evil' }] })
      .expect(400);
    expect(res.body.code).toBe('SANDBOX_UPLOAD_INVALID');
    expect(await budgetOf(runId)).toMatchObject({ spent: 0, reserved: 0 });
  });

  describe('sessions', () => {
    it('create → upload → execute → delete', async () => {
      const runId = await newRun(1);
      const created = await http()
        .post('/api/v1/safety/sandbox/sessions')
        .send({ run_id: runId, timeout_ms: 60_000 })
        .expect(201);
      expect(created.body).toMatchObject({
        session_id: expect.stringMatching(/^lsb_/),
        provider: 'local',
        template: 'base',
        run_id: runId,
        allowed_domains: [],
      });
      const id = created.body.session_id as string;
      await http()
        .post(`/api/v1/safety/sandbox/sessions/${id}/files`)
        .send({ files: [{ path: 'app/main.sh', content: 'echo "in $(pwd) as $GREETING"' }] })
        .expect(200, { session_id: id, written: ['app/main.sh'] });
      const run = await http()
        .post(`/api/v1/safety/sandbox/sessions/${id}/execute`)
        .send({
          command: 'bash main.sh; echo "token $API_TOKEN" >&2',
          cwd: 'app',
          env: { GREETING: 'hello', API_TOKEN: 'opaque-7c1e55' },
        })
        .expect(200);
      expect(run.body).toMatchObject({
        exit_code: 0,
        stdout: 'in /workspace/app as hello\n',
        stderr: 'token [REDACTED:KNOWN_SECRET]\n',
        decision_id: expect.any(String),
      });
      expect(run.body.cost).toBeGreaterThan(0);
      expect(
        (await http().post(`/api/v1/safety/sandbox/sessions/${id}/execute`).send({ command: 'rm -rf /' }).expect(403))
          .body.code,
      ).toBe('POLICY_DENIED');
      expect(
        (
          await http()
            .post(`/api/v1/safety/sandbox/sessions/${id}/files`)
            .send({ files: [{ path: '/etc/passwd', content: 'x' }] })
            .expect(400)
        ).body.code,
      ).toBe('SANDBOX_UPLOAD_INVALID');
      await http().delete(`/api/v1/safety/sandbox/sessions/${id}`).expect(204);
      expect(
        (await http().post(`/api/v1/safety/sandbox/sessions/${id}/execute`).send({ command: 'true' }).expect(404)).body
          .code,
      ).toBe('SANDBOX_SESSION_NOT_FOUND');
      await http().delete(`/api/v1/safety/sandbox/sessions/${id}`).expect(404);
    });

    it('refuses a session whose allowed domain the policy denies', async () => {
      const res = await http()
        .post('/api/v1/safety/sandbox/sessions')
        .send({ allowed_domains: ['example.com'] })
        .expect(403);
      expect(res.body.code).toBe('POLICY_DENIED');
    });

    it('answers 429 past the session cap', async () => {
      const ids: string[] = [];
      let capped: request.Response | undefined;
      for (let i = 0; i < 13 && !capped; i++) {
        const res = await http().post('/api/v1/safety/sandbox/sessions').send({});
        if (res.status === 201) ids.push(res.body.session_id as string);
        else capped = res;
      }
      expect(capped?.status).toBe(429);
      expect(capped?.body.code).toBe('SANDBOX_TOO_MANY_SESSIONS');
      for (const id of ids) await http().delete(`/api/v1/safety/sandbox/sessions/${id}`).expect(204);
    });
  });
});
