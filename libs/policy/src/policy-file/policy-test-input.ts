import { PolicyError } from '../policy.errors';
import type { PolicyTestCase } from '../policy-admin.types';
import { DECISION_OUTCOMES, type DecisionOutcome } from '../policy.types';
import { optionsLayer, parsePolicyLayer, type PolicyFileProblem, type PolicyLayer } from './policy-file.loader';

/** Cases judged by one policy test; enough for a CI suite, small enough to stay a request. */
export const MAX_POLICY_TEST_CASES = 1000;

/**
 * A candidate policy for a test: YAML/JSON text (errors carry lines) or an already-parsed object.
 * An invalid one is POLICY_INVALID with one `errors` entry per problem, each with its JSON pointer
 * under `pointer` (e.g. `/policy/rules/0/match`).
 */
export function candidatePolicyLayer(policy: unknown, source = 'candidate policy'): PolicyLayer {
  try {
    return typeof policy === 'string' ? parsePolicyLayer(policy, source) : optionsLayer(policy as object, source);
  } catch (error) {
    if (!(error instanceof PolicyError) || error.code !== 'POLICY_FILE_INVALID') throw error;
    const problems = (error.extensions.errors as PolicyFileProblem[] | undefined) ?? [];
    throw new PolicyError('POLICY_INVALID', error.message.replace(/^Policy file /, 'Policy '), {
      errors: problems.map((problem) => ({
        pointer: `/policy${keyToPointer(problem.key)}`,
        ...(problem.line === undefined ? {} : { line: problem.line }),
        detail: problem.message,
      })),
    });
  }
}

/**
 * Test cases as sent over HTTP or read from a JSON Lines file: `{ action, context, expect }` where
 * `expect` is a decision (`"deny"`) or `{ decision, rule_ids }` (rule ids that must be among those
 * that decided).
 */
export function parsePolicyTestCases(values: unknown): PolicyTestCase[] {
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_POLICY_TEST_CASES) {
    invalid('/cases', `must be a list of 1 to ${MAX_POLICY_TEST_CASES} cases`);
  }
  return values.map((value, index) => parseCase(value, `/cases/${index}`));
}

function parseCase(value: unknown, pointer: string): PolicyTestCase {
  if (!isObject(value)) invalid(pointer, 'must be an object { action, context, expect }');
  const { action, context = {}, expect } = value;
  if (typeof action !== 'string' || action === '') invalid(`${pointer}/action`, 'must be an action name');
  if (!isObject(context)) invalid(`${pointer}/context`, 'must be an object');
  return { action, context, expect: parseExpectation(expect, `${pointer}/expect`) };
}

function parseExpectation(value: unknown, pointer: string): PolicyTestCase['expect'] {
  if (isDecision(value)) return { decision: value };
  if (!isObject(value) || !isDecision(value.decision)) {
    invalid(pointer, `must be one of ${DECISION_OUTCOMES.join(', ')}, or { decision, rule_ids }`);
  }
  const ruleIds = value.rule_ids;
  if (ruleIds !== undefined && !(Array.isArray(ruleIds) && ruleIds.every((id) => typeof id === 'string'))) {
    invalid(`${pointer}/rule_ids`, 'must be a list of rule ids');
  }
  return { decision: value.decision, ...(ruleIds === undefined ? {} : { rule_ids: ruleIds as string[] }) };
}

function isDecision(value: unknown): value is DecisionOutcome {
  return typeof value === 'string' && (DECISION_OUTCOMES as readonly string[]).includes(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(pointer: string, detail: string): never {
  throw new PolicyError(
    'POLICY_TEST_INVALID',
    `Test case ${pointer.replace(/^\/cases\//, '#')} is invalid: ${detail}.`,
    {
      errors: [{ pointer, detail }],
    },
  );
}

/** `rules[0].match.program` → `/rules/0/match/program`. */
function keyToPointer(key: string): string {
  if (key === '(root)') return '';
  return (
    '/' +
    key
      .replace(/\[(\d+)\]/g, '.$1')
      .split('.')
      .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/')
  );
}
