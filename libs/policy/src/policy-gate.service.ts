import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { maskForLog } from './decision-log-masking';
import { bashParserIfLoaded, loadBashParser } from './engine/shell/bash-parser';
import { PolicyEngine } from './engine/policy-engine';
import { resolvePolicyOptions } from './policy-defaults';
import { PolicyError } from './policy.errors';
import { validatePolicyOptions } from './policy-file.loader';
import type { PolicyOptions, ResolvedPolicy } from './policy-options.types';
import { POLICY_OPTIONS, POLICY_TEXT_REDACTOR, type TextRedactor } from './policy.tokens';
import { type CachedVerdict, VerdictCache } from './verdict-cache';
import {
  ActionType,
  type DecisionTrace,
  type PolicyContext,
  type PolicyDecision,
  type PolicyDecisionLogEntry,
} from './policy.types';

/** An internal error while judging is a deny, never an allow. */
const ENGINE_FAILURE: CachedVerdict['verdict'] = {
  outcome: 'deny',
  risk: 'high',
  reason: 'The policy engine failed while judging this request; failing closed.',
  rule_ids: ['engine.error'],
};

/**
 * Decides whether an agent may perform an action: allow, deny, or approval.
 * Usable with Nest (PolicyModule) or directly: `await new PolicyGate({ enable_code_execution: true }).check(...)`.
 * Fails closed: an internal error while judging becomes a deny, never an allow.
 */
@Injectable()
export class PolicyGate implements OnModuleInit {
  private readonly logger = new Logger(PolicyGate.name);
  private readonly policy: ResolvedPolicy;
  private engine: PolicyEngine | undefined;
  private readonly verdicts = new VerdictCache();

  constructor(
    @Optional() @Inject(POLICY_OPTIONS) options: PolicyOptions = {},
    @Optional() @Inject(POLICY_TEXT_REDACTOR) private readonly redactText: TextRedactor = (text) => text,
  ) {
    this.policy = resolvePolicyOptions(validatePolicyOptions(options ?? {}));
  }

  async onModuleInit(): Promise<void> {
    await this.ready();
  }

  /** Loads the bash grammar (WASM) once; check() awaits it, decide() needs it done. */
  async ready(): Promise<void> {
    if (this.engine) return;
    const parser = await loadBashParser();
    this.engine ??= new PolicyEngine(this.policy, parser);
  }

  /** The effective policy (defaults applied), for diagnostics. */
  get effectivePolicy(): Readonly<ResolvedPolicy> {
    return this.policy;
  }

  /** Distinct approvers an `approval` decision needs: the largest configured for its action or rules (default 1). */
  requiredApprovals(decision: Pick<PolicyDecision, 'action' | 'rule_ids'>): number {
    const { rules, actions } = this.policy.approvals;
    return Math.max(1, actions[decision.action] ?? 0, ...decision.rule_ids.map((id) => rules[id] ?? 0));
  }

  async check(action: ActionType | string, context: PolicyContext, trace?: DecisionTrace): Promise<PolicyDecision> {
    await this.ready();
    return this.decide(action, context, trace);
  }

  /**
   * Synchronous decision once ready() has resolved. Throws PolicyError for an
   * unknown action or invalid context (client errors); any other failure is a deny.
   */
  decide(action: ActionType | string, context: PolicyContext, trace?: DecisionTrace): PolicyDecision {
    const started = process.hrtime.bigint();
    const engine = this.engine ?? this.engineIfParserLoaded();
    const decisionId = randomUUID();
    const cacheKey = this.verdicts.keyFor(String(action), context);
    let judged = this.verdicts.get(cacheKey);
    if (!judged) {
      try {
        const verdict = engine.evaluate(action, context);
        judged = {
          verdict: {
            outcome: verdict.outcome,
            risk: verdict.risk,
            reason: this.redactText(verdict.reason),
            rule_ids: verdict.rule_ids,
          },
          maskedContext: maskForLog(context) as Record<string, unknown>,
          maskedCanonical: maskForLog(verdict.canonical.slice(0, 20)),
        };
        this.verdicts.set(cacheKey, judged);
      } catch (error) {
        if (error instanceof PolicyError) throw error;
        this.logger.error({
          event: 'policy.engine_error',
          decision_id: decisionId,
          error: error instanceof Error ? error.message : String(error),
        });
        judged = {
          verdict: ENGINE_FAILURE,
          maskedContext: maskForLog(context) as Record<string, unknown>,
          maskedCanonical: [],
        };
      }
    }
    const { verdict } = judged;
    const decision: PolicyDecision = {
      allowed: verdict.outcome === 'allow',
      decision: verdict.outcome,
      requires_approval: verdict.outcome === 'approval',
      reason: verdict.reason,
      action: action as ActionType,
      risk: verdict.risk,
      rule_ids: [...verdict.rule_ids],
      decision_id: decisionId,
    };
    this.logDecision(decision, judged, started, trace);
    return decision;
  }

  private engineIfParserLoaded(): PolicyEngine {
    const parser = bashParserIfLoaded();
    if (!parser)
      throw new PolicyError('POLICY_NOT_READY', 'The policy engine is still loading its shell parser; retry shortly.');
    this.engine = new PolicyEngine(this.policy, parser);
    return this.engine;
  }

  private logDecision(decision: PolicyDecision, judged: CachedVerdict, started: bigint, trace?: DecisionTrace): void {
    const entry: PolicyDecisionLogEntry & { canonical: unknown } = {
      event: 'policy.decision',
      decision_id: decision.decision_id,
      ...(trace?.requestId === undefined ? {} : { request_id: trace.requestId }),
      ...(trace?.keyId === undefined ? {} : { key_id: trace.keyId }),
      ...(trace?.tenant === undefined ? {} : { tenant: trace.tenant }),
      action: decision.action,
      decision: decision.decision,
      risk: decision.risk,
      rule_ids: decision.rule_ids,
      reason: decision.reason,
      action_context: judged.maskedContext,
      canonical: judged.maskedCanonical,
      duration_us: Number(process.hrtime.bigint() - started) / 1000,
      timestamp: new Date().toISOString(),
    };
    this.logger.log(entry);
  }
}
