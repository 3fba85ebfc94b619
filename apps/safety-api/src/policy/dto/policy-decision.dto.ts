import { ActionType, DECISION_OUTCOMES, RISK_LEVELS, type DecisionOutcome, type RiskLevel } from '@app/policy';
import { ApiProperty } from '@nestjs/swagger';

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

  /** Ids of the rules that decided (see the policy README). @example ["exec.allowed"] */
  rule_ids: string[];

  /** Correlates this answer with its decision-log entry. @example "6f1c2a52-3f3e-4f7b-9a8d-0c6f0e1b2a3c" */
  decision_id: string;
}
