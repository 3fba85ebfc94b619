import { ActionType, DECISION_OUTCOMES, RISK_LEVELS, type DecisionOutcome, type RiskLevel } from '@app/policy';
import { ApiProperty } from '@nestjs/swagger';
import { REDEEM_ERRORS } from '@app/approvals';
import { MatchedRuleDto } from './matched-rule.dto';

export const APPROVAL_USE_ERRORS = [...REDEEM_ERRORS, 'APPROVAL_NOT_FOUND', 'APPROVAL_NOT_APPLICABLE'] as const;
export type ApprovalUseError = (typeof APPROVAL_USE_ERRORS)[number];

export class PolicyDecisionDto {
  /** True only when `decision` is `allow`. */
  allowed: boolean;

  @ApiProperty({
    enum: DECISION_OUTCOMES,
    enumName: 'PolicyDecisionOutcome',
    description: '`deny` is final; `approval` needs a human first.',
  })
  decision: DecisionOutcome;

  /** True when `decision` is `approval`. */
  requires_approval: boolean;

  /** Why, naming what was found. @example "No destructive, privileged, secret or network-sensitive effect found in the command." */
  reason: string;

  @ApiProperty({ enum: ActionType, enumName: 'ActionType' })
  action: ActionType;

  @ApiProperty({ enum: RISK_LEVELS, enumName: 'RiskLevel' })
  risk: RiskLevel;

  /** Ids of the rules that decided: built-in ids (docs/policy-rules.md) or the team's own. @example ["exec.allowed"] */
  rule_ids: string[];

  /** The rules that decided, each marked built-in or user, a user rule with its file and line. */
  matched_rules: MatchedRuleDto[];

  /** Version (content hash) of the policy that decided: the global file plus the caller's tenant overlay. @example "20de4d5aedb40d01" */
  policy_version: string;

  /** Correlates this answer with its decision-log entry. @example "6f1c2a52-3f3e-4f7b-9a8d-0c6f0e1b2a3c" */
  decision_id: string;

  /** Set when an approved grant (`approval_id` in the request) turned an `approval` into this `allow`. */
  approval_id?: string;

  /** Who approved the grant used. */
  approved_by?: string[];

  /**
   * Why the `approval_id` sent was not used (the decision is then the policy's own):
   * `APPROVAL_MISMATCH` (another action or run), `APPROVAL_CONSUMED`, `APPROVAL_EXPIRED`,
   * `APPROVAL_NOT_APPROVED` (pending, rejected or cancelled), `APPROVAL_NOT_FOUND` (no such approval in
   * this tenant), `APPROVAL_NOT_APPLICABLE` (the policy denies the action outright).
   */
  @ApiProperty({ enum: APPROVAL_USE_ERRORS, enumName: 'ApprovalUseError', required: false })
  approval_error?: ApprovalUseError;
}
