import { combineFindings, type Finding, type Verdict } from '../finding';
import type { RiskLevel } from '../../policy.types';
import type { MatchScope, RuleHit } from './user-rule-set';

/**
 * Built-in approvals that `relax` never lifts: they say the engine could not see what will run
 * (unparseable, too complex, computed program names, encoded payloads, paths known only at run
 * time), so an allow rule matching the visible part says nothing about the rest.
 */
export const NEVER_RELAXED: ReadonlySet<string> = new Set([
  'shell.unparseable',
  'shell.too_complex',
  'shell.dynamic_program',
  'shell.eval_dynamic',
  'shell.encoded_payload',
  'fs.unresolved_path',
]);

const USER_RISK: Record<Finding['outcome'], RiskLevel> = { allow: 'low', approval: 'medium', deny: 'high' };

/**
 * Combines the built-in findings with the user rules that matched (docs/policy-as-data.md):
 * 1. built-in rules switched off by id (`disable_rules`) are dropped;
 * 2. a user `allow` with `relax: true` lifts the built-in approvals raised by what it matched
 *    (the matched command, and what that command wraps), never a deny and never NEVER_RELAXED;
 * 3. of everything left, built-in and user alike, the strictest decision wins: deny > approval > allow.
 */
export function applyUserRules(
  builtin: readonly Finding[],
  fallback: Finding,
  matches: readonly RuleHit[],
  disabled: ReadonlySet<string>,
): Verdict {
  if (matches.length === 0 && disabled.size === 0) return combineFindings([...builtin], fallback);
  const relaxed = new Set<number>();
  for (const { rule, scopes, possible } of matches) {
    if (!rule.relax || rule.decision !== 'allow' || possible) continue;
    builtin.forEach((finding, index) => {
      if (finding.outcome === 'approval' && !NEVER_RELAXED.has(finding.rule_id) && inScopes(index, scopes)) {
        relaxed.add(index);
      }
    });
  }
  const kept = builtin.filter((finding, index) => !relaxed.has(index) && !disabled.has(finding.rule_id));
  const user: Finding[] = matches.map(({ rule, possible }) =>
    possible
      ? {
          rule_id: rule.id,
          outcome: 'approval',
          risk: USER_RISK.approval,
          reason: `${rule.reason} (The command may meet this rule: arguments it names are known only at run time.)`,
          source: rule.source,
        }
      : {
          rule_id: rule.id,
          outcome: rule.decision,
          risk: USER_RISK[rule.decision],
          reason: rule.reason,
          source: rule.source,
        },
  );
  return combineFindings([...kept, ...user], fallback);
}

function inScopes(index: number, scopes: readonly MatchScope[]): boolean {
  return scopes.some((scope) => scope === 'all' || (index >= scope.from && index < scope.to));
}
