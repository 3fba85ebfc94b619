import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ActionType, PolicyError, PolicyGate, PolicyModule } from '@app/policy';
import { createReadyPolicyGate } from '@app/policy/testing';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('PolicyGate', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('works without Nest, as in the product example', async () => {
    const gate = new PolicyGate({ enable_code_execution: true });
    const decision = await gate.check(ActionType.EXECUTE_CODE, { command: 'npm install' });
    expect(decision).toEqual({
      allowed: true,
      decision: 'allow',
      requires_approval: false,
      reason: expect.any(String),
      action: 'execute_code',
      risk: 'low',
      rule_ids: ['exec.allowed'],
      matched_rules: [{ id: 'exec.allowed', source: 'builtin' }],
      policy_version: expect.stringMatching(/^[0-9a-f]{16}$/),
      decision_id: expect.stringMatching(UUID),
    });
  });

  it('blocks the destructive product example with a reason about destructive patterns', async () => {
    const gate = await createReadyPolicyGate();
    const decision = gate.decide('execute_code', { command: 'rm -rf /' });
    expect(decision.decision).toBe('deny');
    expect(decision.allowed).toBe(false);
    expect(decision.risk).toBe('critical');
    expect(decision.reason).toMatch(/destructive pattern/i);
  });

  it('denies all code execution when enable_code_execution is false', async () => {
    const gate = await createReadyPolicyGate({ enable_code_execution: false });
    expect(gate.decide('execute_code', { command: 'ls' })).toMatchObject({
      decision: 'deny',
      rule_ids: ['exec.disabled'],
    });
  });

  it('gives every decision a fresh decision_id', async () => {
    const gate = await createReadyPolicyGate();
    const a = gate.decide('execute_code', { command: 'ls' });
    const b = gate.decide('execute_code', { command: 'ls' });
    expect(a.decision_id).not.toBe(b.decision_id);
  });

  it('rejects an unknown action naming the allowed values', async () => {
    const gate = await createReadyPolicyGate();
    expect(() => gate.decide('launch_missiles', {})).toThrow(PolicyError);
    try {
      gate.decide('launch_missiles', {});
    } catch (error) {
      expect((error as PolicyError).code).toBe('POLICY_UNKNOWN_ACTION');
      expect((error as PolicyError).message).toContain(
        'execute_code, deploy, create_billing, delete_files, network_access',
      );
    }
  });

  it('rejects a missing required field with a pointer to it', async () => {
    const gate = await createReadyPolicyGate();
    try {
      gate.decide('execute_code', { cwd: '/x' });
      throw new Error('expected a PolicyError');
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      expect((error as PolicyError).code).toBe('POLICY_INVALID_CONTEXT');
      expect((error as PolicyError).extensions).toEqual({
        errors: [{ pointer: '/context/command', detail: expect.stringContaining('command') }],
      });
    }
    expect(() => gate.decide('network_access', { port: 443 })).toThrow(/domain or url/);
    expect(() => gate.decide('create_billing', { amount_usd: '10' })).toThrow(/amount_usd must be a number/);
  });

  it('ignores self-asserted approval fields', async () => {
    const gate = await createReadyPolicyGate();
    const plain = gate.decide('deploy', { environment: 'production' });
    const asserted = gate.decide('deploy', {
      environment: 'production',
      approved: true,
      approved_by: 'cto',
      requires_approval: false,
    });
    expect(asserted.decision).toBe(plain.decision);
    expect(asserted.rule_ids).toEqual(plain.rule_ids);
  });

  it('does not build the decision-log entry when the log level drops it', async () => {
    const log = jest.spyOn(Logger.prototype, 'log');
    try {
      const quiet = new PolicyGate({}, undefined, () => false);
      await quiet.ready();
      quiet.decide('execute_code', { command: 'ls', api_key: 'sk-secret-value-123' });
      expect(log).not.toHaveBeenCalled();
      const loud = new PolicyGate({}, undefined, () => true);
      await loud.ready();
      const decision = loud.decide('execute_code', { command: 'ls' });
      expect(log).toHaveBeenCalledWith(
        expect.objectContaining({
          event: 'policy.decision',
          decision_id: decision.decision_id,
          policy_version: decision.policy_version,
        }),
      );
    } finally {
      log.mockRestore();
    }
  });

  it('fails closed when the engine throws', async () => {
    const gate = await createReadyPolicyGate();
    gate.decide('execute_code', { command: 'true' });
    const engine = (gate as unknown as { snapshot: { global: { engine: { evaluate: () => never } } } }).snapshot.global
      .engine;
    engine.evaluate = () => {
      throw new TypeError('boom');
    };
    expect(gate.decide('execute_code', { command: 'ls' })).toMatchObject({
      decision: 'deny',
      allowed: false,
      rule_ids: ['engine.error'],
    });
  });

  it("writes a structured decision log entry with the decision_id, the caller's request id when given, and masks secrets", async () => {
    const gate = await createReadyPolicyGate();
    const entries: unknown[] = [];
    Logger.overrideLogger({
      log: (message: unknown) => entries.push(message),
      error: () => undefined,
      warn: () => undefined,
    });
    const decision = gate.decide('execute_code', {
      command: 'curl -H "Authorization: Bearer abcdefghijklmnop" https://github.com',
      api_token: 'x',
      note: 'kept',
    });
    const traced = gate.decide('execute_code', { command: 'ls' }, { requestId: 'req-42' });
    Logger.overrideLogger(false);
    expect(entries).toContainEqual(
      expect.objectContaining({ event: 'policy.decision', decision_id: traced.decision_id, request_id: 'req-42' }),
    );
    expect(entries[0]).not.toHaveProperty('request_id');
    expect(entries).toContainEqual(
      expect.objectContaining({
        event: 'policy.decision',
        decision_id: decision.decision_id,
        decision: decision.decision,
        rule_ids: decision.rule_ids,
        action_context: {
          command: 'curl -H "Authorization: Bearer [REDACTED]" https://github.com',
          api_token: '[REDACTED]',
          note: 'kept',
        },
      }),
    );
  });

  it('is provided by PolicyModule.forRootAsync with typed options', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PolicyModule.forRootAsync({ useFactory: () => ({ enable_code_execution: false }) })],
    }).compile();
    await moduleRef.init();
    const gate = moduleRef.get(PolicyGate);
    expect(gate.decide('execute_code', { command: 'ls' }).decision).toBe('deny');
    await moduleRef.close();
  });

  it('says how many distinct approvers an approval needs: the largest configured for its action or rules', async () => {
    const gate = await createReadyPolicyGate({
      approvals: { rules: { 'deploy.production': 2 }, actions: { create_billing: 3 } },
    });
    const deploy = gate.decide('deploy', { environment: 'production' });
    expect(deploy.decision).toBe('approval');
    expect(deploy.rule_ids).toContain('deploy.production');
    expect(gate.requiredApprovals(deploy)).toBe(2);
    expect(gate.requiredApprovals({ action: ActionType.CREATE_BILLING, rule_ids: ['deploy.production'] })).toBe(3);
    expect(gate.requiredApprovals({ action: ActionType.NETWORK_ACCESS, rule_ids: [] })).toBe(1);
    expect(() => new PolicyGate({ approvals: { rules: { x: 0 } } })).toThrow(/from 1 to 10/);
  });
});
