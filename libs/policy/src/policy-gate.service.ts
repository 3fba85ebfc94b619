import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { maskForLog } from './decision-log-masking';
import { bashParserIfLoaded, loadBashParser } from './engine/shell/bash-parser';
import { PolicyEngine } from './engine/policy-engine';
import { compilePolicy, type CompiledPolicy } from './compiled-policy';
import { PolicyError } from './policy.errors';
import { optionsLayer, type PolicyLayer } from './policy-file/policy-file.loader';
import type { PolicyOptions } from './policy-options.types';
import {
  POLICY_DECISION_LOG_ENABLED,
  POLICY_OPTIONS,
  POLICY_TEXT_REDACTOR,
  type DecisionLogEnabled,
  type TextRedactor,
} from './policy.tokens';
import { type CachedVerdict, VerdictCache } from './verdict-cache';
import type {
  EffectivePolicy,
  PolicyInstallResult,
  PolicySources,
  PolicyTestCase,
  PolicyTestCaseResult,
  PolicyTestResult,
} from './policy-admin.types';
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
  matched_rules: [{ id: 'engine.error', source: 'builtin' }],
};

/** A compiled policy and its engine (built once the shell parser has loaded). */
interface ActivePolicy {
  readonly compiled: CompiledPolicy;
  engine?: PolicyEngine;
}

/** Everything decide() reads, replaced as one object so no request sees half of a reload. */
interface PolicySnapshot {
  readonly globalLayers: readonly PolicyLayer[];
  readonly global: ActivePolicy;
  readonly tenants: ReadonlyMap<string, ActivePolicy>;
}

/**
 * Decides whether an agent may perform an action: allow, deny, or approval.
 * Usable with Nest (PolicyModule) or directly: `await new PolicyGate({ enable_code_execution: true }).check(...)`.
 * Fails closed: an internal error while judging becomes a deny, never an allow.
 *
 * Policies are data: the global layer (options or POLICY_FILE) and per-tenant overlays are installed
 * with install(), which swaps one snapshot reference; the verdict cache is keyed by policy version
 * and cleared on every install.
 */
@Injectable()
export class PolicyGate implements OnModuleInit {
  private readonly logger = new Logger(PolicyGate.name);
  private snapshot: PolicySnapshot;
  private readonly verdicts = new VerdictCache();

  constructor(
    @Optional() @Inject(POLICY_OPTIONS) options: PolicyOptions = {},
    @Optional() @Inject(POLICY_TEXT_REDACTOR) private readonly redactText: TextRedactor = (text) => text,
    @Optional()
    @Inject(POLICY_DECISION_LOG_ENABLED)
    private readonly decisionLogEnabled: DecisionLogEnabled = () => true,
  ) {
    const globalLayers = [optionsLayer(options ?? {})];
    this.snapshot = { globalLayers, global: { compiled: compilePolicy(globalLayers) }, tenants: new Map() };
  }

  async onModuleInit(): Promise<void> {
    await this.ready();
  }

  /** Loads the bash grammar (WASM) once; check() awaits it, decide() needs it done. */
  async ready(): Promise<void> {
    await loadBashParser();
  }

  /**
   * Installs policy sources: the global layers, and each tenant's overlay on top of them. Each
   * policy is compiled before anything changes; a tenant whose overlay does not compile keeps
   * the policy it had (and is reported), and when the global layers do not compile nothing
   * changes. Verdicts cached under the old policies are dropped.
   */
  install(sources: PolicySources): PolicyInstallResult {
    const global = { compiled: compilePolicy(sources.global) };
    const tenants = new Map<string, ActivePolicy>();
    const failed: PolicyInstallResult['failed'] = [];
    for (const [tenant, overlay] of Object.entries(sources.tenants)) {
      try {
        tenants.set(tenant, { compiled: compilePolicy([...sources.global, overlay]) });
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        failed.push({ tenant, error });
        const previous = this.snapshot.tenants.get(tenant);
        if (previous) tenants.set(tenant, { compiled: previous.compiled });
      }
    }
    this.snapshot = { globalLayers: sources.global, global, tenants };
    this.verdicts.clear();
    return {
      version: global.compiled.version,
      tenants: Object.fromEntries([...tenants].map(([name, active]) => [name, active.compiled.version])),
      failed,
    };
  }

  /** The policy a tenant's decisions use, with its version (GET /policy). */
  effectivePolicy(tenant?: string): EffectivePolicy {
    const { compiled } = this.activeFor(tenant);
    return {
      version: compiled.version,
      settings: compiled.resolved,
      rules: compiled.userRules.rules.map((rule, index) => ({
        ...(compiled.document.rules ?? [])[index],
        source: rule.source,
      })),
      disable_rules: [...compiled.disabled],
      sources: [...compiled.sources],
    };
  }

  /**
   * Judges cases under a candidate overlay for a tenant (global layers + overlay) without installing
   * it: no cache, no decision log. Throws POLICY_FILE_INVALID when the overlay does not compile.
   */
  async test(overlay: PolicyLayer, cases: readonly PolicyTestCase[]): Promise<PolicyTestResult> {
    const compiled = compilePolicy([...this.snapshot.globalLayers, overlay]);
    const engine = new PolicyEngine(compiled, await loadBashParser());
    const results = cases.map((testCase, index): PolicyTestCaseResult => {
      const expected = testCase.expect;
      try {
        const verdict = engine.evaluate(testCase.action, testCase.context);
        return {
          index,
          pass:
            verdict.outcome === expected.decision &&
            (expected.rule_ids ?? []).every((id) => verdict.rule_ids.includes(id)),
          expected: expected.decision,
          decision: verdict.outcome,
          rule_ids: verdict.rule_ids,
          matched_rules: verdict.matched_rules,
          reason: this.redactText(verdict.reason),
        };
      } catch (error) {
        if (!(error instanceof PolicyError)) throw error;
        const reason = this.redactText(error.message);
        return {
          index,
          pass: false,
          expected: expected.decision,
          rule_ids: [],
          matched_rules: [],
          reason,
          error: error.code,
        };
      }
    });
    return {
      version: compiled.version,
      passed: results.filter((r) => r.pass).length,
      failed: results.filter((r) => !r.pass).length,
      results,
    };
  }

  /** Distinct approvers an `approval` decision needs: the largest configured for its action or rules (default 1). */
  requiredApprovals(decision: Pick<PolicyDecision, 'action' | 'rule_ids'>, tenant?: string): number {
    const { rules, actions } = this.activeFor(tenant).compiled.resolved.approvals;
    return Math.max(1, actions[decision.action] ?? 0, ...decision.rule_ids.map((id) => rules[id] ?? 0));
  }

  async check(action: ActionType | string, context: PolicyContext, trace?: DecisionTrace): Promise<PolicyDecision> {
    await this.ready();
    return this.decide(action, context, trace);
  }

  /**
   * Synchronous decision once ready() has resolved. Throws PolicyError for an
   * unknown action or invalid context (client errors); any other failure is a deny.
   * The policy is the caller's tenant's (trace.tenant), else the global one.
   */
  decide(action: ActionType | string, context: PolicyContext, trace?: DecisionTrace): PolicyDecision {
    const started = process.hrtime.bigint();
    const active = this.activeFor(trace?.tenant);
    const engine = active.engine ?? this.engineFor(active);
    const version = active.compiled.version;
    const decisionId = randomUUID();
    const logging = this.decisionLogEnabled();
    const cacheKey = this.verdicts.keyFor(version, String(action), context);
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
            matched_rules: verdict.matched_rules,
          },
          ...(logging ? { maskedContext: maskForLog(context) as Record<string, unknown> } : {}),
          maskedCanonical: logging ? maskForLog(verdict.canonical.slice(0, 20)) : [],
        };
        this.verdicts.set(cacheKey, judged);
      } catch (error) {
        if (error instanceof PolicyError) throw error;
        this.logger.error({
          event: 'policy.engine_error',
          decision_id: decisionId,
          error: error instanceof Error ? error.message : String(error),
        });
        judged = { verdict: ENGINE_FAILURE, maskedCanonical: [] };
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
      matched_rules: verdict.matched_rules.map((rule) => ({ ...rule })),
      policy_version: version,
      decision_id: decisionId,
    };
    if (logging) this.logDecision(decision, context, judged, started, trace);
    return decision;
  }

  private activeFor(tenant: string | undefined): ActivePolicy {
    const snapshot = this.snapshot;
    return (tenant !== undefined && snapshot.tenants.get(tenant)) || snapshot.global;
  }

  private engineFor(active: ActivePolicy): PolicyEngine {
    const parser = bashParserIfLoaded();
    if (!parser)
      throw new PolicyError('POLICY_NOT_READY', 'The policy engine is still loading its shell parser; retry shortly.');
    active.engine = new PolicyEngine(active.compiled, parser);
    return active.engine;
  }

  private logDecision(
    decision: PolicyDecision,
    context: PolicyContext,
    judged: CachedVerdict,
    started: bigint,
    trace?: DecisionTrace,
  ): void {
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
      matched_rules: decision.matched_rules,
      policy_version: decision.policy_version,
      reason: decision.reason,
      action_context: judged.maskedContext ?? (maskForLog(context) as Record<string, unknown>),
      canonical: judged.maskedCanonical,
      duration_us: Number(process.hrtime.bigint() - started) / 1000,
      timestamp: new Date().toISOString(),
    };
    this.logger.log(entry);
  }
}
