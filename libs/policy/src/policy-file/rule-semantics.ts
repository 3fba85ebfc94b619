import { SWITCHABLE_BUILTIN_RULES } from '../engine/rules/switchable-rules';
import type { PolicyOptions } from '../policy-options.types';
import type { PolicyFileProblem } from './policy-file.loader';

type LineOf = (segments: (string | number)[], keyOfLast?: boolean) => number | undefined;

/** What a JSON Schema cannot say about a policy file that passed it. */
export function checkRuleSemantics(options: PolicyOptions, lineOf: LineOf): PolicyFileProblem[] {
  const problems: PolicyFileProblem[] = [];
  const seen = new Map<string, number>();
  (options.rules ?? []).forEach((rule, index) => {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      problems.push({
        key: `rules[${index}].id`,
        line: lineOf(['rules', index, 'id']),
        message: `repeats the id of rules[${first}]; ids must be unique`,
      });
    } else seen.set(rule.id, index);
    if (rule.relax === true && rule.decision !== 'allow') {
      problems.push({
        key: `rules[${index}].relax`,
        line: lineOf(['rules', index, 'relax']),
        message: 'is only meaningful with decision: allow',
      });
    }
    const range = rule.match.amount_usd;
    if (range?.min !== undefined && range.max !== undefined && range.min > range.max) {
      problems.push({
        key: `rules[${index}].match.amount_usd`,
        line: lineOf(['rules', index, 'match', 'amount_usd']),
        message: 'has min above max',
      });
    }
  });
  (options.disable_rules ?? []).forEach((id, index) => {
    if (!SWITCHABLE_BUILTIN_RULES.has(id)) {
      problems.push({
        key: `disable_rules[${index}]`,
        line: lineOf(['disable_rules', index]),
        message: `"${id}" is not a built-in rule that can be switched off (docs/policy-rules.md lists those that can)`,
      });
    }
  });
  return problems;
}
