import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import {
  ActionType,
  ApprovalNotFoundError,
  ApprovalNotNeededError,
  ApprovalRejectedError,
  ApprovalsClient,
  ApprovalTimeoutError,
  AuditTrailNotFoundError,
  AuthClient,
  ForbiddenRoleError,
  ACTION_TYPES,
  BudgetAlreadyExistsError,
  BudgetClient,
  BudgetExceededError,
  BudgetNotFoundError,
  IdempotencyKeyReusedError,
  PolicyBlockedError,
  PolicyClient,
  PolicyDeniedError,
  RateLimitedError,
  ReservationAlreadySettledError,
  RunsClient,
  SandboxClient,
  UploadInvalidError,
  SelfApprovalError,
  UnauthorizedError,
  ValidationError,
} from '../../../libs/client/src';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { createTestApp } from './support/create-test-app';
import { principalsFor, writeKeysFile } from './support/principals';

/**
 * The TypeScript client against the whole app on a real port: the same HTTP
 * path a workflow activity takes, errors included.
 */
async function listen(
  overrides: Record<string, string> = {},
): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
  const app = await createTestApp(overrides);
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

const unique = (name: string) => `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

describe('TypeScript client (auth off)', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  beforeAll(async () => ({ app, baseUrl } = await listen()));
  afterAll(() => app.close());

  describe('BudgetClient', () => {
    it("runs the product's example: create 10.0, can-spend 0.05, spend 0.05, status", async () => {
      const budget = new BudgetClient(baseUrl);
      const runId = unique('run-123');
      const created = await budget.createBudget(runId, 10.0);
      expect(created).toMatchObject({ run_id: runId, limit: 10, spent: 0, remaining: 10, state: 'active' });
      expect(await budget.canSpend(runId, 0.05)).toBe(true);
      const spent = await budget.spend(runId, 0.05);
      expect(spent).toMatchObject({ run_id: runId, amount: 0.05, spent: 0.05, remaining: 9.95, replayed: false });
      expect(await budget.getStatus(runId)).toMatchObject({ spent: 0.05, remaining: 9.95 });
    });

    it('a spend for an unknown run is BudgetNotFoundError: "Budget not found for run_id: xyz"', async () => {
      const error = await new BudgetClient(baseUrl).spend('xyz', 0.05).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BudgetNotFoundError);
      expect((error as BudgetNotFoundError).message).toBe('Budget not found for run_id: xyz');
      expect((error as BudgetNotFoundError).problem).toMatchObject({
        status: 404,
        code: 'BUDGET_NOT_FOUND',
        request_id: expect.any(String),
      });
    });

    it('an over-limit spend is BudgetExceededError carrying the remaining amount, and records nothing', async () => {
      const budget = new BudgetClient(baseUrl);
      const runId = unique('over');
      await budget.createBudget(runId, 1);
      await budget.spend(runId, 0.75);
      const error = await budget.spend(runId, 0.5).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BudgetExceededError);
      expect((error as BudgetExceededError).status).toBe(402);
      expect((error as BudgetExceededError).remaining).toBe(0.25);
      expect((await budget.getStatus(runId)).spent).toBe(0.75);
      await expect(budget.enforceLimit(runId, 0.5)).rejects.toBeInstanceOf(BudgetExceededError);
      await expect(budget.enforceLimit(runId, 0.25)).resolves.toBeUndefined();
    });

    it('the same idempotency key applies once and replays; with another amount it is IdempotencyKeyReusedError', async () => {
      const budget = new BudgetClient(baseUrl);
      const runId = unique('idem');
      await budget.createBudget(runId, 5);
      const first = await budget.spend(runId, 1, { idempotencyKey: 'tool-call-1' });
      const again = await budget.spend(runId, 1, { idempotencyKey: 'tool-call-1' });
      expect(first.replayed).toBe(false);
      expect(again.replayed).toBe(true);
      expect((await budget.getStatus(runId)).spent).toBe(1);
      await expect(budget.spend(runId, 2, { idempotencyKey: 'tool-call-1' })).rejects.toBeInstanceOf(
        IdempotencyKeyReusedError,
      );
    });

    it('reserve, commit and release settle holds; a second create is BudgetAlreadyExistsError', async () => {
      const budget = new BudgetClient(baseUrl);
      const runId = unique('hold');
      await budget.createBudget(runId, 2);
      await expect(budget.createBudget(runId, 2)).rejects.toBeInstanceOf(BudgetAlreadyExistsError);
      const held = await budget.reserve(runId, 1.5, { ttlSeconds: 60 });
      expect(held).toMatchObject({ run_id: runId, amount: 1.5, status: 'held' });
      expect(await budget.canSpend(runId, 1)).toBe(false);
      const committed = await budget.commit(held.reservation_id, 0.4);
      expect(committed.budget).toMatchObject({ spent: 0.4, reserved: 0, remaining: 1.6 });
      const other = await budget.reserve(runId, 1);
      const released = await budget.release(other.reservation_id);
      expect(released.budget).toMatchObject({ spent: 0.4, reserved: 0 });
      await expect(budget.commit(other.reservation_id, 0.1)).rejects.toBeInstanceOf(ReservationAlreadySettledError);
      const events = await budget.getEvents(runId);
      expect(events.events.map((event) => event.type)).toEqual(
        expect.arrayContaining(['budget_created', 'reserved', 'committed', 'released']),
      );
    });

    it('an invalid amount is ValidationError naming the field', async () => {
      const error = await new BudgetClient(baseUrl).canSpend('run-x', -1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).status).toBe(400);
    });
  });

  describe('PolicyClient', () => {
    const policy = () => new PolicyClient(baseUrl);

    it('ActionType has the five values of the contract', () => {
      expect(Object.values(ActionType).sort()).toEqual([...ACTION_TYPES].sort());
      expect(ACTION_TYPES).toHaveLength(5);
    });

    it('allows `npm install` and `npm test`', async () => {
      for (const command of ['npm install', 'npm test']) {
        const decision = await policy().checkCodeExecution(command);
        expect(decision).toMatchObject({ allowed: true, decision: 'allow', action: 'execute_code' });
      }
    });

    it('checkAndEnforce throws PolicyBlockedError with the decision for a destructive command', async () => {
      const error = await policy()
        .checkAndEnforce(ActionType.EXECUTE_CODE, { command: 'rm -rf /' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PolicyBlockedError);
      const blocked = error as PolicyBlockedError;
      expect(blocked.decision.allowed).toBe(false);
      expect(blocked.message).toBe(`Action blocked by policy: ${blocked.decision.reason}`);
    });

    it('checkAndEnforce returns the decision when allowed', async () => {
      await expect(
        policy().checkAndEnforce(ActionType.NETWORK_ACCESS, { domain: 'registry.npmjs.org' }),
      ).resolves.toMatchObject({ allowed: true });
    });

    it('an unknown action is a ValidationError', async () => {
      const error = await policy()
        .check('launch_rockets' as ActionType, {})
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
    });
  });
});

describe('SandboxClient (local bubblewrap provider)', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  beforeAll(async () => ({ app, baseUrl } = await listen()));
  afterAll(() => app.close());

  it('runs the session lifecycle; a failing command is a result, and destroying twice is fine', async () => {
    const sandbox = new SandboxClient(baseUrl);
    const session = await sandbox.create('base');
    try {
      expect(session.sessionId).toEqual(expect.any(String));
      await expect(
        sandbox.uploadFiles(session, [{ path: 'fail.js', content: 'process.stderr.write("no"); process.exit(3)' }]),
      ).resolves.toEqual(['fail.js']);
      const result = await sandbox.execute(session, 'node /workspace/fail.js', 10_000);
      expect(result).toMatchObject({ exitCode: 3, stderr: 'no', timedOut: false });
      await expect(sandbox.uploadFiles(session, [{ path: '../escape.txt', content: 'x' }])).rejects.toBeInstanceOf(
        UploadInvalidError,
      );
    } finally {
      await sandbox.destroy(session);
    }
    await expect(sandbox.destroy(session)).resolves.toBeUndefined();
  });

  it('safeExecuteCode charges the run; a denied command is PolicyDeniedError with the decision and charges nothing', async () => {
    const budget = new BudgetClient(baseUrl);
    const sandbox = new SandboxClient(baseUrl);
    const runId = unique('safe');
    await budget.createBudget(runId, 1);
    const ran = await sandbox.safeExecuteCode({ runId, command: 'echo hello', timeout: 10_000 });
    expect(ran).toMatchObject({ exitCode: 0, stdout: 'hello\n', decisionId: expect.any(String) });
    expect(ran.cost).toBeGreaterThan(0);
    expect((await budget.getStatus(runId)).spent).toBe(ran.cost);

    const error = await sandbox
      .safeExecuteCode({ runId, command: 'rm -rf /', timeout: 10_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyDeniedError);
    expect((error as PolicyDeniedError).decision).toMatchObject({ allowed: false, decision: 'deny' });
    expect((await budget.getStatus(runId)).spent).toBe(ran.cost);

    await expect(sandbox.safeExecuteCode({ runId: unique('nobody'), command: 'echo hi' })).rejects.toBeInstanceOf(
      BudgetNotFoundError,
    );
  });
});

describe('TypeScript client (auth on)', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  beforeAll(async () => ({ app, baseUrl } = await listen({ SAFETY_API_KEYS: 'client-key-1' })));
  afterAll(() => app.close());

  it('without a key the call is UnauthorizedError; with apiKey it goes through', async () => {
    const runId = unique('auth');
    await expect(new BudgetClient(baseUrl).createBudget(runId, 1)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(new BudgetClient(baseUrl, { apiKey: 'client-key-1' }).createBudget(runId, 1)).resolves.toMatchObject({
      run_id: runId,
    });
  });

  it('a wrong key is UnauthorizedError and is not retried into success', async () => {
    await expect(new BudgetClient(baseUrl, { apiKey: 'wrong' }).getStatus('whatever')).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });
});

describe('TypeScript client with principals', () => {
  const principals = principalsFor('client', ['c-acme']);
  const [agent] = principals;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let keysFile: string;
  beforeAll(async () => {
    keysFile = writeKeysFile(principals);
    ({ app, baseUrl } = await listen({ SAFETY_API_KEYS_FILE: keysFile }));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dirname(keysFile), { recursive: true, force: true });
  });

  it('whoami() names the principal; a role too low is ForbiddenRoleError', async () => {
    await expect(new AuthClient(baseUrl, { apiKey: agent.key }).whoami()).resolves.toEqual({
      key_id: 'c-acme-agent',
      tenant: 'c-acme',
      role: 'agent',
      acting_tenant: 'c-acme',
    });
    const budget = new BudgetClient(baseUrl, { apiKey: agent.key });
    const runId = unique('overage');
    await budget.createBudget(runId, 1);
    const error = await budget.spend(runId, 2, { allowOverage: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenRoleError);
    expect((error as ForbiddenRoleError).code).toBe('FORBIDDEN_ROLE');
  });
});

describe('TypeScript client: human approval', () => {
  const principals = principalsFor('client-approvals', ['ca-acme']);
  const [agent, operator] = principals;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let keysFile: string;
  beforeAll(async () => {
    keysFile = writeKeysFile(principals);
    ({ app, baseUrl } = await listen({
      SAFETY_API_KEYS_FILE: keysFile,
      REDIS_URL: requireTestRedisUrl(),
      SANDBOX_PROVIDER: 'local',
      SANDBOX_WORKSPACE_DIR: join(tmpdir(), `client-approvals-${process.pid}`),
      SANDBOX_HOST_UID: '10023',
      SANDBOX_WORKSPACE_MB: '4',
    }));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dirname(keysFile), { recursive: true, force: true });
  });

  /** An operator that approves (or rejects) the next pending approval of `service` as soon as it appears. */
  async function answer(service: string, decision: 'approve' | 'reject'): Promise<void> {
    const approvals = new ApprovalsClient(baseUrl, { apiKey: operator.key });
    for (let i = 0; i < 100; i++) {
      const { approvals: pending } = await approvals.list({ status: 'pending' });
      const mine = pending.find((a) => (a.context as { service?: string }).service === service);
      if (mine) {
        await approvals.decide(mine.approval_id, decision, 'from the client test');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no pending approval for ${service}`);
  }

  it('checkAndEnforce waits for a human, then uses the grant once', async () => {
    const policy = new PolicyClient(baseUrl, { apiKey: agent.key });
    const service = unique('svc');
    const context = { environment: 'production', service };
    const [decision] = await Promise.all([
      policy.checkAndEnforce(ActionType.DEPLOY, context, {
        runId: unique('run'),
        justification: 'release',
        waitForApproval: { timeoutMs: 10_000 },
      }),
      answer(service, 'approve'),
    ]);
    expect(decision).toMatchObject({ decision: 'allow', approved_by: ['ca-acme-operator'] });
  });

  it('throws ApprovalRejectedError on a reject and ApprovalTimeoutError when nobody answers', async () => {
    const policy = new PolicyClient(baseUrl, { apiKey: agent.key });
    const rejected = unique('svc');
    const [error] = await Promise.all([
      policy
        .checkAndEnforce(
          ActionType.DEPLOY,
          { environment: 'production', service: rejected },
          { waitForApproval: { timeoutMs: 10_000 } },
        )
        .catch((e: unknown) => e),
      answer(rejected, 'reject'),
    ]);
    expect(error).toBeInstanceOf(ApprovalRejectedError);
    expect((error as ApprovalRejectedError).approval.status).toBe('rejected');
    const timeout = await policy
      .checkAndEnforce(
        ActionType.DEPLOY,
        { environment: 'production', service: unique('svc') },
        { waitForApproval: { timeoutMs: 1200 } },
      )
      .catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(ApprovalTimeoutError);
    expect((timeout as ApprovalTimeoutError).approval.status).toBe('pending');
  });

  it('safeExecuteCode waits for approval of a command that needs it, then runs it once', async () => {
    const runId = unique('run');
    await new BudgetClient(baseUrl, { apiKey: agent.key }).createBudget(runId, 1);
    const sandbox = new SandboxClient(baseUrl, { apiKey: agent.key });
    const command = 'sudo true; echo approved-run';
    const approver = (async () => {
      const approvals = new ApprovalsClient(baseUrl, { apiKey: operator.key });
      for (let i = 0; i < 100; i++) {
        const { approvals: pending } = await approvals.list({ status: 'pending', runId });
        if (pending[0]) return approvals.decide(pending[0].approval_id, 'approve');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no pending approval for the command');
    })();
    const [result] = await Promise.all([
      sandbox.safeExecuteCode({ runId, command, timeout: 5000, waitForApproval: { timeoutMs: 10_000 } }),
      approver,
    ]);
    expect(result.stdout).toContain('approved-run');
  });

  it("RunsClient lists the tenant's runs with budgets and reads a run's trail (operator)", async () => {
    const runId = unique('listed');
    const budget = new BudgetClient(baseUrl, { apiKey: agent.key });
    await budget.createBudget(runId, 2);
    await budget.spend(runId, 0.5);
    const runs = new RunsClient(baseUrl, { apiKey: operator.key });
    const { runs: listed } = await runs.list({ limit: 100 });
    expect(listed.find((run) => run.run_id === runId)).toMatchObject({ budget: { limit: 2, spent: 0.5 } });
    const trail = await runs.auditTrail(runId);
    expect(trail.events.map((event) => event.type)).toEqual(['budget.create', 'budget.spend']);
    await expect(runs.auditTrail(unique('nothing'))).rejects.toBeInstanceOf(AuditTrailNotFoundError);
    await expect(new RunsClient(baseUrl, { apiKey: agent.key }).list()).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it('maps approval problems to typed errors', async () => {
    const mine = new ApprovalsClient(baseUrl, { apiKey: operator.key });
    const asked = await mine.request(ActionType.DEPLOY, { environment: 'production', service: unique('svc') });
    await expect(mine.decide(asked.approval_id, 'approve')).rejects.toBeInstanceOf(SelfApprovalError);
    await expect(mine.get(`apr_${'2'.repeat(32)}`)).rejects.toBeInstanceOf(ApprovalNotFoundError);
    await expect(mine.request(ActionType.EXECUTE_CODE, { command: 'ls' })).rejects.toBeInstanceOf(
      ApprovalNotNeededError,
    );
    expect((await mine.cancel(asked.approval_id)).status).toBe('cancelled');
  });
});

describe('TypeScript client against the real rate limiter', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  // A one-second window: the 429 carries Retry-After: 1.
  beforeAll(async () => ({ app, baseUrl } = await listen({ RATE_LIMIT_MAX: '2', RATE_LIMIT_WINDOW_MS: '1000' })));
  afterAll(() => app.close());

  it('a rate-limited read waits for Retry-After and then succeeds; a write is not retried', async () => {
    let readsSent = 0;
    const budget = new BudgetClient(baseUrl, {
      retry: { retries: 3 },
      fetch: (request) => {
        readsSent++;
        return globalThis.fetch(request);
      },
    });
    const runId = unique('limited');
    await budget.createBudget(runId, 1);
    // Reads until one is limited (2 per window): that read is answered all the same, after Retry-After.
    let reads = 0;
    while (readsSent === reads + 1 && reads < 6) {
      reads++;
      await expect(budget.getStatus(runId)).resolves.toMatchObject({ run_id: runId });
    }
    expect(readsSent).toBeGreaterThan(reads + 1);

    // Writes without an idempotency key are never retried: each call is one request, and the 429 surfaces.
    let sent = 0;
    const writer = new BudgetClient(baseUrl, {
      retry: { retries: 3 },
      fetch: (request) => {
        sent++;
        return globalThis.fetch(request);
      },
    });
    let calls = 0;
    let error: unknown;
    while (!error && calls < 5) {
      calls++;
      error = await writer.createBudget(unique('limited'), 1).then(
        () => undefined,
        (e: unknown) => e,
      );
    }
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
    expect(sent).toBe(calls);
  });
});
