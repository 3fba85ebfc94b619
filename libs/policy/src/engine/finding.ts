import type { DecisionOutcome, RiskLevel } from '../policy.types';
import type { UserRuleSource } from './user-rules/compiled-user-rule';

/** One rule's verdict on part of an action. The worst finding decides. */
export interface Finding {
  rule_id: string;
  outcome: DecisionOutcome;
  risk: RiskLevel;
  reason: string;
  /** Set for a user rule: where it was written. Built-in findings have none. */
  source?: UserRuleSource;
}

/** One rule named by a decision: built-in (see docs/policy-rules.md) or the team's own, with its file and line. */
export interface MatchedRule {
  id: string;
  source: 'builtin' | 'user';
  file?: string;
  line?: number;
}

const OUTCOME_RANK: Record<DecisionOutcome, number> = { allow: 0, approval: 1, deny: 2 };
const RISK_RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function worse(a: DecisionOutcome, b: DecisionOutcome): DecisionOutcome {
  return OUTCOME_RANK[a] >= OUTCOME_RANK[b] ? a : b;
}

export function outcomeRank(outcome: DecisionOutcome): number {
  return OUTCOME_RANK[outcome];
}

export interface Verdict {
  outcome: DecisionOutcome;
  risk: RiskLevel;
  reason: string;
  rule_ids: string[];
  matched_rules: MatchedRule[];
}

/**
 * Most restrictive wins (deny > approval > allow); the reason and rule ids come
 * from the findings at the winning level, risk is the highest among them.
 */
export function combineFindings(findings: Finding[], fallback: Finding): Verdict {
  const all = findings.length > 0 ? findings : [fallback];
  let outcome: DecisionOutcome = 'allow';
  for (const finding of all) outcome = worse(outcome, finding.outcome);
  const deciding = all.filter((finding) => finding.outcome === outcome);
  if (outcome === 'allow' && !deciding.some((f) => f.rule_id === fallback.rule_id) && findings.length === 0) {
    deciding.push(fallback);
  }
  let risk: RiskLevel = 'low';
  for (const finding of deciding) if (RISK_RANK[finding.risk] > RISK_RANK[risk]) risk = finding.risk;
  const reasons = unique(deciding.map((finding) => finding.reason));
  return {
    outcome,
    risk,
    reason: reasons.slice(0, 4).join(' ') + (reasons.length > 4 ? ` (+${reasons.length - 4} more)` : ''),
    rule_ids: unique(deciding.map((finding) => finding.rule_id)),
    matched_rules: uniqueRules(deciding),
  };
}

function uniqueRules(findings: Finding[]): MatchedRule[] {
  const byId = new Map<string, MatchedRule>();
  for (const { rule_id, source } of findings) {
    if (byId.has(rule_id)) continue;
    byId.set(
      rule_id,
      source
        ? {
            id: rule_id,
            source: 'user',
            file: source.file,
            ...(source.line === undefined ? {} : { line: source.line }),
          }
        : { id: rule_id, source: 'builtin' },
    );
  }
  return [...byId.values()];
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export const allow = (rule_id: string, reason: string, risk: RiskLevel = 'low'): Finding => ({
  rule_id,
  outcome: 'allow',
  risk,
  reason,
});
export const approval = (rule_id: string, reason: string, risk: RiskLevel = 'medium'): Finding => ({
  rule_id,
  outcome: 'approval',
  risk,
  reason,
});
export const deny = (rule_id: string, reason: string, risk: RiskLevel = 'high'): Finding => ({
  rule_id,
  outcome: 'deny',
  risk,
  reason,
});
