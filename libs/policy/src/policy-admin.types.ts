import type { MatchedRule } from './engine/finding';
import type { UserRuleSource } from './engine/user-rules/compiled-user-rule';
import type { PolicyError } from './policy.errors';
import type { PolicyLayer } from './policy-file/policy-file.loader';
import type { ResolvedPolicy, UserRuleSpec } from './policy-options.types';
import type { DecisionOutcome } from './policy.types';

/** What PolicyGate.install() takes: the global layers and each tenant's overlay. */
export interface PolicySources {
  global: PolicyLayer[];
  tenants: Record<string, PolicyLayer>;
}

export interface PolicyInstallResult {
  /** Version of the global policy now in force. */
  version: string;
  /** Version in force per tenant with an overlay. */
  tenants: Record<string, string>;
  /** Tenants whose overlay did not compile; they keep the policy they had. */
  failed: { tenant: string; error: PolicyError }[];
}

/** A tenant's policy as decisions see it (GET /api/v1/safety/policy). */
export interface EffectivePolicy {
  version: string;
  settings: ResolvedPolicy;
  rules: (UserRuleSpec & { source: UserRuleSource })[];
  disable_rules: string[];
  sources: { source: string; digest: string }[];
}

export interface PolicyTestCase {
  action: string;
  context: Record<string, unknown>;
  /** The decision expected, and optionally rule ids that must be among those that decided. */
  expect: { decision: DecisionOutcome; rule_ids?: string[] };
}

export interface PolicyTestCaseResult {
  index: number;
  pass: boolean;
  expected: DecisionOutcome;
  /** Absent when the case itself is invalid (unknown action, context the action refuses): see `error`. */
  decision?: DecisionOutcome;
  rule_ids: string[];
  matched_rules: MatchedRule[];
  reason: string;
  error?: string;
}

export interface PolicyTestResult {
  /** Version the candidate policy would have. */
  version: string;
  passed: number;
  failed: number;
  results: PolicyTestCaseResult[];
}
