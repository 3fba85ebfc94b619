import { buildBudgetService } from '@app/budget/testing';
import type { BudgetService } from '@app/budget';
import { Redactor } from '@app/redaction';
import { FakeSecrets } from '@app/redaction/testing';
import { Transform } from 'node:stream';
import { SandboxRedactor } from './ports/sandbox-redactor.port';
import type { SandboxPolicy, SandboxPolicyDecision } from './ports/sandbox-policy.port';
import { SandboxError } from './sandbox.errors';
import { resolveSandboxSettings, type SandboxModuleOptions } from './sandbox.options';
import { SandboxService } from './sandbox.service';
import { InMemorySandboxProvider, type ScriptedRun } from './testing/in-memory-sandbox.provider';

class ListPolicy implements SandboxPolicy {
  readonly asked: string[] = [];
  constructor(private readonly verdicts: Record<string, SandboxPolicyDecision['decision']> = {}) {}
  async check(action: string, context: Record<string, unknown>): Promise<SandboxPolicyDecision> {
    const subject = String(context.command ?? context.domain);
    this.asked.push(`${action} ${subject}`);
    const decision = this.verdicts[subject] ?? 'allow';
    return {
      allowed: decision === 'allow',
      decision,
      requires_approval: decision === 'approval',
      reason: `${decision} by list`,
      decision_id: `dec-${this.asked.length}`,
    };
  }
}

/** A redactor whose streams fail on the first chunk. */
class BrokenRedactor extends SandboxRedactor {
  readonly maxSecretLength = 1024;
  createRedactStream(): Transform {
    return new Transform({ transform: (_chunk, _encoding, done) => done(new Error('redactor broke')) });
  }
}

const fake = new FakeSecrets();

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as SandboxError).code;
  }
  throw new Error('expected an error');
}

describe('SandboxService', () => {
  let budget: BudgetService;
  let policy: ListPolicy;

  function service(
    script?: ScriptedRun,
    overrides: Partial<SandboxModuleOptions> = {},
  ): { sandbox: SandboxService; provider: InMemorySandboxProvider } {
    const provider = new InMemorySandboxProvider(script);
    const options = {
      provider: 'local',
      policy,
      budget,
      redactor: new Redactor(),
      costPerSecondUsd: 0.01,
      ...overrides,
    } as SandboxModuleOptions;
    return {
      sandbox: new SandboxService(provider, policy, budget, options.redactor, resolveSandboxSettings(options)),
      provider,
    };
  }

  beforeEach(async () => {
    budget = buildBudgetService();
    policy = new ListPolicy({ 'rm -rf /': 'deny', 'git push --force': 'approval', 'evil.example': 'deny' });
    await budget.createBudget('run-1', 1);
  });

  it('runs an allowed command in a fresh sandbox, destroys it and charges the measured time', async () => {
    const { sandbox, provider } = service(() => ({ stdout: 'ok\n', duration_ms: 1500 }));
    const result = await sandbox.safeExecute({
      runId: 'run-1',
      command: 'echo ok',
      timeoutMs: 10_000,
      files: [{ path: 'a.txt', content: 'x' }],
    });
    expect(result).toMatchObject({
      exit_code: 0,
      stdout: 'ok\n',
      cost: 0.015,
      budget_remaining: 0.985,
      decision_id: 'dec-1',
    });
    expect(provider.calls).toEqual(['create base', 'upload a.txt', 'execute echo ok', 'destroy']);
    expect((await budget.getStatus('run-1')).reserved).toBe(0);
  });

  it.each([
    ['rm -rf /', 'POLICY_DENIED'],
    ['git push --force', 'POLICY_APPROVAL_REQUIRED'],
  ])('refuses %j before any sandbox exists and charges nothing', async (command, code) => {
    const { sandbox, provider } = service();
    const error = await sandbox.safeExecute({ runId: 'run-1', command }).catch((e: SandboxError) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).code).toBe(code);
    expect((error as SandboxError).extensions.decision).toMatchObject({ decision_id: 'dec-1' });
    expect(provider.calls).toEqual([]);
    expect(await budget.getStatus('run-1')).toMatchObject({ spent: 0, reserved: 0 });
  });

  it('refuses a command whose allowed domain the policy denies', async () => {
    const { sandbox, provider } = service();
    expect(
      await codeOf(
        sandbox.safeExecute({ runId: 'run-1', command: 'curl https://evil.example', allowedDomains: ['evil.example'] }),
      ),
    ).toBe('POLICY_DENIED');
    expect(provider.calls).toEqual([]);
  });

  it('charges a timed-out command for the time it used', async () => {
    const { sandbox } = service(() => ({ timed_out: true, exit_code: 137, duration_ms: 2000 }));
    const result = await sandbox.safeExecute({ runId: 'run-1', command: 'sleep 99', timeoutMs: 2000 });
    expect(result).toMatchObject({ timed_out: true, cost: 0.02 });
    expect((await budget.getStatus('run-1')).spent).toBe(0.02);
  });

  it('refuses a run whose budget cannot cover the longest the timeout allows', async () => {
    const { sandbox, provider } = service();
    expect(await codeOf(sandbox.safeExecute({ runId: 'run-1', command: 'true', timeoutMs: 200_000 }))).toBe(
      'BUDGET_EXCEEDED',
    );
    expect(provider.calls).toEqual([]);
  });

  it('reports an unknown run as BUDGET_NOT_FOUND without creating a sandbox', async () => {
    const { sandbox, provider } = service();
    expect(await codeOf(sandbox.safeExecute({ runId: 'run-unknown', command: 'true' }))).toBe('BUDGET_NOT_FOUND');
    expect(provider.calls).toEqual([]);
  });

  it('releases the hold and destroys the sandbox when the provider fails', async () => {
    const { sandbox, provider } = service(() => {
      throw new SandboxError('SANDBOX_UNAVAILABLE', 'engine down');
    });
    expect(await codeOf(sandbox.safeExecute({ runId: 'run-1', command: 'true' }))).toBe('SANDBOX_UNAVAILABLE');
    expect(provider.calls.at(-1)).toBe('destroy');
    expect(await budget.getStatus('run-1')).toMatchObject({ spent: 0, reserved: 0 });
  });

  it('redacts output as it streams, whatever chunks a secret arrives in', async () => {
    const [openai, github] = [fake.openaiProject(), fake.githubClassic()];
    const { sandbox, provider } = service(() => ({ stdout: `key=${openai}\n`, stderr: github }));
    for (const chunkBytes of [1, 7, 4096]) {
      provider.chunkBytes = chunkBytes;
      const result = await sandbox.safeExecute({ runId: 'run-1', command: 'env' });
      expect(result.stdout).toBe('key=[REDACTED:OPENAI_API_KEY]\n');
      expect(result.stderr).toBe('[REDACTED:GITHUB_TOKEN]');
    }
  });

  it('masks the last word of output cut at the cap, so a secret cut in two leaves no prefix', async () => {
    // The longest prefix of a real-shaped key that no pattern recognises: what would leak without the mask.
    const key = fake.openaiProject();
    let cutSecret = key.slice(0, 9);
    for (
      let length = 9;
      length < key.length && new Redactor().redact(key.slice(0, length)) === key.slice(0, length);
      length++
    ) {
      cutSecret = key.slice(0, length);
    }
    const { sandbox } = service(() => ({ stdout: `done\nusing ${cutSecret}`, stderr: 'warn\n', truncated: true }));
    const result = await sandbox.safeExecute({ runId: 'run-1', command: 'flood' });
    expect(result.stdout).toBe('done\nusing [TRUNCATED]');
    expect(result.stdout).not.toContain(cutSecret);
    expect(result.stderr).toBe('warn\n');

    const { sandbox: whole } = service(() => ({ stdout: 'line one\n', truncated: true }));
    expect((await whole.safeExecute({ runId: 'run-1', command: 'flood' })).stdout).toBe('line one\n[TRUNCATED]');
  });

  it('withholds the output when it cannot be redacted, and still charges the time used', async () => {
    const { sandbox } = service(() => ({ stdout: 'anything', duration_ms: 1000 }), {
      redactor: new BrokenRedactor(),
    });
    expect(await codeOf(sandbox.safeExecute({ runId: 'run-1', command: 'true' }))).toBe('SANDBOX_PROVIDER_FAILED');
    expect(await budget.getStatus('run-1')).toMatchObject({ spent: 0.01, reserved: 0 });
  });

  it('never overspends under concurrent executions on one budget', async () => {
    const { sandbox } = service(() => ({ duration_ms: 30_000 }));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => sandbox.safeExecute({ runId: 'run-1', command: 'work', timeoutMs: 30_000 })),
    );
    const charged = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(charged).toBe(3);
    expect(
      outcomes
        .filter((o) => o.status === 'rejected')
        .map((o) => ((o as PromiseRejectedResult).reason as SandboxError).code),
    ).toEqual(Array(3).fill('BUDGET_EXCEEDED'));
    expect((await budget.getStatus('run-1')).spent).toBe(0.9);
  });

  describe('sessions', () => {
    it('creates, uploads, executes (policy-checked, charged to its run) and destroys', async () => {
      const { sandbox, provider } = service((command, _t, files) => ({
        stdout: files.get('n.txt')?.toString() ?? '',
        duration_ms: 100,
      }));
      const session = await sandbox.createSession({ runId: 'run-1' });
      await sandbox.uploadFiles(session.id, [{ path: 'n.txt', content: fake.npm() }]);
      const result = await sandbox.executeInSession(session.id, { command: 'cat n.txt' });
      expect(result).toMatchObject({ stdout: '[REDACTED:NPM_TOKEN]', cost: 0.001 });
      expect(await codeOf(sandbox.executeInSession(session.id, { command: 'rm -rf /' }))).toBe('POLICY_DENIED');
      await sandbox.destroySession(session.id);
      expect(provider.live.size).toBe(0);
      expect(await codeOf(sandbox.executeInSession(session.id, { command: 'true' }))).toBe('SANDBOX_SESSION_NOT_FOUND');
      expect(await codeOf(sandbox.destroySession(session.id))).toBe('SANDBOX_SESSION_NOT_FOUND');
    });

    it('masks the values of secret-named variables the caller passed, and no others', async () => {
      const { sandbox } = service((command) => ({ stdout: command }));
      const session = await sandbox.createSession();
      const result = await sandbox.executeInSession(session.id, {
        command: 'db=hunter2-plain warehouse=acme-test mode=production',
        env: { DB_PASSWORD: 'hunter2-plain', WAREHOUSE: 'acme-test', NODE_ENV: 'production' },
      });
      expect(result.stdout).toBe('db=[REDACTED:KNOWN_SECRET] warehouse=acme-test mode=production');
    });

    it('caps live sessions per replica', async () => {
      const { sandbox } = service(undefined, { maxSessions: 2 });
      await sandbox.createSession();
      await sandbox.createSession();
      expect(await codeOf(sandbox.createSession())).toBe('SANDBOX_TOO_MANY_SESSIONS');
      expect(await codeOf(sandbox.safeExecute({ runId: 'run-1', command: 'true' }))).toBe('SANDBOX_TOO_MANY_SESSIONS');
      expect(await budget.getStatus('run-1')).toMatchObject({ spent: 0, reserved: 0 });
    });

    it('frees the slot of a session destroyed elsewhere once a call finds it gone', async () => {
      const { sandbox, provider } = service(undefined, { maxSessions: 1 });
      const session = await sandbox.createSession();
      await provider.destroy(session);
      expect(await codeOf(sandbox.createSession())).toBe('SANDBOX_TOO_MANY_SESSIONS');
      expect(await codeOf(sandbox.executeInSession(session.id, { command: 'true' }))).toBe('SANDBOX_SESSION_NOT_FOUND');
      await sandbox.createSession();
    });

    it('reaps expired and idle sessions, which frees their slots', async () => {
      const { sandbox, provider } = service(undefined, {
        maxSessions: 1,
        sessionIdleMs: 60_000,
        sessionTtlMs: 120_000,
      });
      const session = await sandbox.createSession({ ttlMs: 120_000 });
      expect(await sandbox.reap(Date.now() + 1000)).toBe(0);
      expect(await sandbox.reap(Date.now() + 61_000)).toBe(1);
      expect(provider.live.has(session.id)).toBe(false);
      await sandbox.createSession();
    });
  });
});
