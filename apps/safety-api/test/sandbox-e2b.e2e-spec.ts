import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeE2bServer } from '../../../libs/sandbox/test-fixtures/fake-e2b-server';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { createTestApp } from './support/create-test-app';
import { SandboxHttp, sandboxHttpScenarios } from './support/sandbox-http.scenarios';

// The SDK's ESM-only chalk cannot be loaded by jest; see the stub for why this is harmless.
jest.mock('../../../node_modules/e2b/node_modules/chalk/source/index.js', () =>
  jest.requireActual('../../../libs/sandbox/test-fixtures/chalk-stub'),
);

const API_KEY = 'e2b_' + 'cd34'.repeat(10);

/**
 * safeExecute and the session endpoints over HTTP with SANDBOX_PROVIDER=e2b:
 * the real e2b SDK code path (control plane and envd wire protocol; non-zero
 * exits arrive as CommandExitError, timeouts as TimeoutError) against the
 * local fake E2B server, whose commands run in bubblewrap. Two app instances
 * sharing Redis stand for two replicas.
 */
describe('sandbox over HTTP (E2B provider, real SDK against the fake E2B server)', () => {
  const fakeRoot = join(tmpdir(), `sandbox-e2b-e2e-${process.pid}`);
  let fake: FakeE2bServer;
  let app: NestFastifyApplication;
  let replica: NestFastifyApplication;
  const sandbox = new SandboxHttp(() => app, 'run-e2b');
  const http = (target = app) => sandbox.http(target);
  const e2bApp = () =>
    createTestApp({
      SANDBOX_PROVIDER: 'e2b',
      E2B_API_KEY: API_KEY,
      E2B_API_URL: fake.url,
      E2B_SANDBOX_URL: fake.url,
      SANDBOX_COST_PER_SECOND: '0.01',
      REDIS_URL: requireTestRedisUrl(),
    });

  beforeAll(async () => {
    fake = await new FakeE2bServer({ workspaceRoot: fakeRoot, hostUid: 10014, hostGid: 10014 }, API_KEY).start();
    app = await e2bApp();
    replica = await e2bApp();
  });

  afterAll(async () => {
    await app?.close();
    await replica?.close();
    await fake?.stop();
    await rm(fakeRoot, { recursive: true, force: true });
  });

  // Whatever a test did, every E2B sandbox it created is killed by its end.
  afterEach(() => expect([...fake.sandboxes.keys()]).toEqual([]));

  sandboxHttpScenarios(sandbox, { provider: 'e2b', sessionId: /^fake[0-9a-f]{12}$/ });

  it('creates one E2B sandbox per execution, tagged with the run and without internet', async () => {
    const runId = await sandbox.newRun(1);
    const before = fake.createRequests.length;
    await http().post('/api/v1/safety/sandbox/execute').send({ run_id: runId, command: 'true' }).expect(200);
    expect(fake.createRequests.slice(before)).toEqual([
      expect.objectContaining({
        templateID: 'base',
        allow_internet_access: false,
        metadata: expect.objectContaining({ run_id: runId }),
      }),
    ]);
  });

  it('never creates an E2B sandbox for a command the policy denies', async () => {
    const runId = await sandbox.newRun(1);
    const before = fake.createRequests.length;
    await http().post('/api/v1/safety/sandbox/execute').send({ run_id: runId, command: 'rm -rf /' }).expect(403);
    expect(fake.createRequests.length).toBe(before);
  });

  it('serves a session from any replica: another one reconnects to it by id', async () => {
    const runId = await sandbox.newRun(1);
    const id = (
      await http().post('/api/v1/safety/sandbox/sessions').send({ run_id: runId, timeout_ms: 60_000 }).expect(201)
    ).body.session_id as string;
    await http()
      .post(`/api/v1/safety/sandbox/sessions/${id}/files`)
      .send({ files: [{ path: 'note.txt', content: 'shared' }] })
      .expect(200);

    expect((await http(replica).get(`/api/v1/safety/sandbox/sessions/${id}`).expect(200)).body).toMatchObject({
      session_id: id,
      provider: 'e2b',
      run_id: runId,
    });
    const run = await http(replica)
      .post(`/api/v1/safety/sandbox/sessions/${id}/execute`)
      .send({ command: 'cat note.txt; exit 4' })
      .expect(200);
    expect(run.body).toMatchObject({ exit_code: 4, stdout: 'shared' });
    // Charged to the run on the shared ledger, whichever replica served the command.
    expect((await sandbox.budgetOf(runId)).spent).toBe(run.body.cost);

    await http(replica).delete(`/api/v1/safety/sandbox/sessions/${id}`).expect(204);
    expect(
      (await http().post(`/api/v1/safety/sandbox/sessions/${id}/execute`).send({ command: 'true' }).expect(404)).body
        .code,
    ).toBe('SANDBOX_SESSION_NOT_FOUND');
  });

  it('passes allowed_domains to E2B as its network allowlist, everything else denied', async () => {
    const res = await http()
      .post('/api/v1/safety/sandbox/sessions')
      .send({ run_id: await sandbox.newRun(1), allowed_domains: ['registry.npmjs.org'] })
      .expect(201);
    expect(fake.createRequests.at(-1)).toMatchObject({
      network: { allowOut: ['registry.npmjs.org'], denyOut: ['0.0.0.0/0'] },
    });
    await http()
      .delete(`/api/v1/safety/sandbox/sessions/${res.body.session_id as string}`)
      .expect(204);
  });
});
