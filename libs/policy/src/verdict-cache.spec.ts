import { Logger } from '@nestjs/common';
import { PolicyEngine } from './engine/policy-engine';
import { createReadyPolicyGate } from './testing';
import { MAX_CACHED_REQUEST_CHARS } from './verdict-cache';

describe('PolicyGate verdict cache', () => {
  let evaluate: jest.SpyInstance;
  let logged: unknown[];

  beforeEach(() => {
    evaluate = jest.spyOn(PolicyEngine.prototype, 'evaluate');
    logged = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((entry: unknown) => void logged.push(entry));
  });
  afterEach(() => jest.restoreAllMocks());

  it('judges an identical request once, but gives each decision its own id and log line', async () => {
    const gate = await createReadyPolicyGate();
    const first = gate.decide('execute_code', { command: 'npm install' });
    const second = gate.decide('execute_code', { command: 'npm install' });
    expect(evaluate).toHaveBeenCalledTimes(1);
    expect({ ...second, decision_id: first.decision_id }).toEqual(first);
    expect(second.decision_id).not.toBe(first.decision_id);
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatchObject({
      event: 'policy.decision',
      decision_id: second.decision_id,
      action_context: { command: 'npm install' },
    });
  });

  it('judges afresh when the action or any part of the context differs', async () => {
    const gate = await createReadyPolicyGate();
    expect(gate.decide('execute_code', { command: 'ls' }).decision).toBe('allow');
    expect(gate.decide('execute_code', { command: 'rm -rf /' }).decision).toBe('deny');
    expect(gate.decide('execute_code', { command: 'ls', cwd: '/' }).decision_id).toBeDefined();
    expect(gate.decide('delete_files', { paths: ['/etc'] }).decision).toBe('deny');
    expect(evaluate).toHaveBeenCalledTimes(4);
  });

  it('does not cache long requests, and a caller mutating a decision cannot alter the next one', async () => {
    const gate = await createReadyPolicyGate();
    const long = { command: `echo ${'a'.repeat(MAX_CACHED_REQUEST_CHARS)}` };
    gate.decide('execute_code', long);
    gate.decide('execute_code', long);
    expect(evaluate).toHaveBeenCalledTimes(2);

    const mutated = gate.decide('execute_code', { command: 'ls' });
    mutated.rule_ids.push('tampered');
    expect(gate.decide('execute_code', { command: 'ls' }).rule_ids).not.toContain('tampered');
  });

  it('never caches a client error: an invalid context is refused every time', async () => {
    const gate = await createReadyPolicyGate();
    expect(() => gate.decide('execute_code', { command: 42 })).toThrow();
    expect(() => gate.decide('execute_code', { command: 42 })).toThrow();
    expect(evaluate).toHaveBeenCalledTimes(2);
  });
});
