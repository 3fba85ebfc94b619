import { Logger } from '@nestjs/common';
import { CORPUS_POLICY, createReadyPolicyGate, loadCorpus } from '@app/policy/testing';
import { ACTION_TYPES, type PolicyGate } from '@app/policy';

const corpus = loadCorpus();

describe('PolicyGate golden corpus', () => {
  let gate: PolicyGate;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    gate = await createReadyPolicyGate(CORPUS_POLICY);
  });

  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('has at least 300 cases covering every action type', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(new Set(corpus.map((c) => c.action))).toEqual(new Set(ACTION_TYPES));
  });

  it.each(corpus.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const decision = gate.decide(c.action, c.context);
    expect(decision.decision).toBe(c.expect);
    expect(decision.allowed).toBe(c.expect === 'allow');
    expect(decision.requires_approval).toBe(c.expect === 'approval');
    expect(decision.rule_ids.length).toBeGreaterThan(0);
    expect(decision.reason.length).toBeGreaterThan(10);
  });
});
