import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined } from 'class-validator';
import { DECISION_OUTCOMES, MAX_POLICY_TEST_CASES, type DecisionOutcome } from '@app/policy';
import { MatchedRuleDto } from './matched-rule.dto';

export class PolicySourceDto {
  /** The policy file (or `options`). @example "acme.yaml" */
  source: string;
  /** SHA-256 of its content. */
  digest: string;
}

export class EffectivePolicyDto {
  /** The tenant whose policy this is. @example "acme" */
  tenant: string;

  /** Content hash; every decision under this policy carries it as `policy_version`. @example "20de4d5aedb40d01" */
  version: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Every setting with defaults applied (workspace, branches, environments, network, billing, approvals).',
  })
  settings: Record<string, unknown>;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'User rules in force, global first, each with `source: { file, line }`.',
  })
  rules: Record<string, unknown>[];

  /** Built-in rule ids switched off. */
  disable_rules: string[];

  /** The files this policy is made of, global first. */
  sources: PolicySourceDto[];
}

export class PolicyTestRequestDto {
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }],
    description:
      "A candidate tenant overlay: policy-file YAML/JSON text (errors then name lines) or the same document as an object. It is judged on top of the global policy, the way the caller's tenant file would be, and is not installed.",
    example:
      'rules:\n  - id: no-make-deploy\n    action: execute_code\n    match: { command: "make deploy*" }\n    decision: deny\n    reason: Deploys go through CI.\n',
  })
  @IsDefined()
  policy: unknown;

  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      required: ['action', 'expect'],
      properties: {
        action: { type: 'string' },
        context: { type: 'object', additionalProperties: true },
        expect: {
          oneOf: [
            { $ref: '#/components/schemas/PolicyDecisionOutcome' },
            {
              type: 'object',
              required: ['decision'],
              properties: {
                decision: { $ref: '#/components/schemas/PolicyDecisionOutcome' },
                rule_ids: { type: 'array', items: { type: 'string' } },
              },
            },
          ],
        },
      },
    },
    description: `1 to ${MAX_POLICY_TEST_CASES} cases; \`expect\` is a decision, or { decision, rule_ids } where the rule ids must be among those that decided.`,
    example: [{ action: 'execute_code', context: { command: 'make deploy' }, expect: 'deny' }],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_POLICY_TEST_CASES)
  cases: unknown[];
}

export class PolicyTestCaseResultDto {
  /** Position of the case in `cases`, from 0. */
  index: number;
  /** Whether the decision (and the rule ids, when given) are as expected. */
  pass: boolean;
  @ApiProperty({ enum: DECISION_OUTCOMES, enumName: 'PolicyDecisionOutcome' })
  expected: DecisionOutcome;
  @ApiProperty({ enum: DECISION_OUTCOMES, enumName: 'PolicyDecisionOutcome', required: false })
  decision?: DecisionOutcome;
  rule_ids: string[];
  matched_rules: MatchedRuleDto[];
  reason: string;
  /** Set when the case itself is invalid for its action (`POLICY_UNKNOWN_ACTION`, `POLICY_INVALID_CONTEXT`). */
  error?: string;
}

export class PolicyTestResultDto {
  /** The version the candidate policy would have. */
  version: string;
  passed: number;
  failed: number;
  results: PolicyTestCaseResultDto[];
}
