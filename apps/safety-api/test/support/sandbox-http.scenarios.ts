import { FakeSecrets } from '@app/redaction/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';

export interface BudgetView {
  spent: number;
  reserved: number;
  remaining: number;
}

/** HTTP helpers for sandbox suites: the app under test, fresh runs with a budget, their budget status. */
export class SandboxHttp {
  private runSeq = 0;

  constructor(
    private readonly app: () => NestFastifyApplication,
    private readonly runPrefix: string,
  ) {}

  http(target = this.app()) {
    return request(target.getHttpServer());
  }

  async newRun(limit: number): Promise<string> {
    const runId = `${this.runPrefix}-${process.pid}-${++this.runSeq}`;
    await this.http().post('/api/v1/safety/budget/create').send({ run_id: runId, limit }).expect(201);
    return runId;
  }

  async budgetOf(runId: string): Promise<BudgetView> {
    return (await this.http().get(`/api/v1/safety/budget/${runId}`).expect(200)).body as BudgetView;
  }
}

/**
 * What safeExecute and the session endpoints do over HTTP whatever the
 * provider (the app must charge SANDBOX_COST_PER_SECOND=0.01). Each provider's
 * suite runs these and adds its own specifics.
 */
export function sandboxHttpScenarios(
  sandbox: SandboxHttp,
  expected: { provider: 'local' | 'e2b'; sessionId: RegExp },
): void {
  const http = () => sandbox.http();
  const execute = (body: Record<string, unknown>) => http().post('/api/v1/safety/sandbox/execute').send(body);

  it('runs an allowed command over uploaded files and charges its measured time', async () => {
    const runId = await sandbox.newRun(1);
    const res = await execute({
      run_id: runId,
      command: 'node /workspace/test.js',
      timeout_ms: 10_000,
      files: [{ path: 'test.js', content: 'console.log(6 * 7)' }],
    }).expect(200);
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
    const budget = await sandbox.budgetOf(runId);
    expect(budget).toMatchObject({ spent: res.body.cost, reserved: 0 });
    expect(res.body.budget_remaining).toBe(budget.remaining);
  });

  it('returns a failing command as a 200 with its exit code, and charges it', async () => {
    const runId = await sandbox.newRun(1);
    const res = await execute({ run_id: runId, command: 'echo partial; echo oops >&2; exit 3' }).expect(200);
    expect(res.body).toMatchObject({ exit_code: 3, stdout: 'partial\n', stderr: 'oops\n', timed_out: false });
    expect(res.body.cost).toBeGreaterThan(0);
    expect((await sandbox.budgetOf(runId)).spent).toBe(res.body.cost);
  });

  it('stops a command at its timeout, says so, and charges the time it used', async () => {
    const runId = await sandbox.newRun(1);
    const res = await execute({ run_id: runId, command: 'echo started; sleep 30', timeout_ms: 1000 }).expect(200);
    expect(res.body).toMatchObject({ timed_out: true, exit_code: 137, stdout: 'started\n' });
    expect(res.body.duration_ms).toBeGreaterThanOrEqual(1000);
    expect(res.body.cost).toBeGreaterThan(0);
    expect(res.body.cost).toBeLessThanOrEqual(0.01);
    expect(await sandbox.budgetOf(runId)).toMatchObject({ spent: res.body.cost, reserved: 0 });
  });

  it('refuses a denied command with 403 POLICY_DENIED, never starts it, and charges nothing', async () => {
    const runId = await sandbox.newRun(1);
    const res = await execute({ run_id: runId, command: 'rm -rf /' }).expect(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'POLICY_DENIED',
      decision: { decision: 'deny', decision_id: expect.any(String) },
    });
    expect(await sandbox.budgetOf(runId)).toMatchObject({ spent: 0, reserved: 0 });
    const { events } = (await http().get(`/api/v1/safety/budget/${runId}/events`).expect(200)).body as {
      events: { type: string }[];
    };
    expect(events.map((event) => event.type)).toEqual(['budget_created']);
  });

  it('returns a secret printed by the command redacted, on both streams', async () => {
    const runId = await sandbox.newRun(1);
    const token = new FakeSecrets().githubClassic();
    const res = await execute({
      run_id: runId,
      command: 'cat secret.txt; cat secret.txt >&2',
      files: [{ path: 'secret.txt', content: Buffer.from(`token=${token}\n`).toString('base64'), encoding: 'base64' }],
    }).expect(200);
    expect(res.body.stdout).toBe('token=[REDACTED:GITHUB_TOKEN]\n');
    expect(res.body.stderr).toBe('token=[REDACTED:GITHUB_TOKEN]\n');
  });

  it('redacts a secret the command writes in two pieces, apart in time', async () => {
    const runId = await sandbox.newRun(1);
    const key = new FakeSecrets().openaiProject();
    const res = await execute({
      run_id: runId,
      command: 'printf "key="; head -c 40 key.txt; sleep 0.2; tail -c +41 key.txt; printf "\\n"',
      files: [{ path: 'key.txt', content: key }],
    }).expect(200);
    expect(res.body.stdout).toBe('key=[REDACTED:OPENAI_API_KEY]\n');
  });

  it('serves a session: create → upload → execute → fail → time out → delete', async () => {
    const runId = await sandbox.newRun(1);
    const created = await http()
      .post('/api/v1/safety/sandbox/sessions')
      .send({ run_id: runId, timeout_ms: 60_000 })
      .expect(201);
    expect(created.body).toMatchObject({
      session_id: expect.stringMatching(expected.sessionId),
      provider: expected.provider,
      template: 'base',
      run_id: runId,
      allowed_domains: [],
    });
    const id = created.body.session_id as string;
    const inSession = (body: Record<string, unknown>) =>
      http().post(`/api/v1/safety/sandbox/sessions/${id}/execute`).send(body);

    await http()
      .post(`/api/v1/safety/sandbox/sessions/${id}/files`)
      .send({ files: [{ path: 'app/main.sh', content: 'echo "in $(pwd) as $GREETING"' }] })
      .expect(200, { session_id: id, written: ['app/main.sh'] });
    const run = await inSession({
      command: 'bash main.sh; echo "token $API_TOKEN" >&2',
      cwd: 'app',
      env: { GREETING: 'hello', API_TOKEN: 'opaque-7c1e55' },
    }).expect(200);
    expect(run.body).toMatchObject({
      exit_code: 0,
      stdout: 'in /workspace/app as hello\n',
      stderr: 'token [REDACTED:KNOWN_SECRET]\n',
      decision_id: expect.any(String),
      run_id: runId,
    });
    expect(run.body.cost).toBeGreaterThan(0);
    expect((await inSession({ command: 'test -f app/main.sh && exit 7' }).expect(200)).body).toMatchObject({
      exit_code: 7,
      timed_out: false,
    });
    expect((await inSession({ command: 'sleep 30', timeout_ms: 800 }).expect(200)).body).toMatchObject({
      timed_out: true,
      exit_code: 137,
    });
    expect((await inSession({ command: 'rm -rf /' }).expect(403)).body.code).toBe('POLICY_DENIED');
    expect(
      (
        await http()
          .post(`/api/v1/safety/sandbox/sessions/${id}/files`)
          .send({ files: [{ path: '/etc/passwd', content: 'x' }] })
          .expect(400)
      ).body.code,
    ).toBe('SANDBOX_UPLOAD_INVALID');
    expect(await sandbox.budgetOf(runId)).toMatchObject({ reserved: 0 });

    await http().delete(`/api/v1/safety/sandbox/sessions/${id}`).expect(204);
    expect((await inSession({ command: 'true' }).expect(404)).body.code).toBe('SANDBOX_SESSION_NOT_FOUND');
    await http().delete(`/api/v1/safety/sandbox/sessions/${id}`).expect(404);
  });
}
