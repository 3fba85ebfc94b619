import { ACTION_TYPES, ActionType } from '@app/policy';
import { APPROVAL_STATUSES, APPROVAL_VERDICTS, type ApprovalStatus, type ApprovalVerdict } from '@app/approvals';
import { RUN_ID_PATTERN, RUN_ID_RULE } from '@app/budget';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { digitsToNumber } from '../../common/validation/page-limit';

export class CreateApprovalDto {
  @ApiProperty({ enum: ActionType, enumName: 'ActionType' })
  @IsIn(ACTION_TYPES)
  action: ActionType;

  /** The action's context, exactly as it will be checked when the grant is used. */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { environment: 'production', service: 'api' } })
  @IsObject()
  context: Record<string, unknown>;

  /** The run the action belongs to; a grant for a run can only be used by a call naming that run. @example "run-123" */
  @IsOptional()
  @IsString()
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id?: string;

  /** Why the agent needs this, for the approver. @example "Release 1.4.2 passed staging" */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  justification?: string;
}

export class ApprovalDecisionRecordDto {
  /** The approver's principal id. */
  by: string;
  @ApiProperty({ enum: APPROVAL_VERDICTS, enumName: 'ApprovalVerdict' })
  decision: ApprovalVerdict;
  comment: string | null;
  at: string;
}

export class ApprovalDto {
  /** @example "apr_3f9c0a8e1b2d4c6e8f0a1b2c3d4e5f60" */
  approval_id: string;
  @ApiProperty({ enum: APPROVAL_STATUSES, enumName: 'ApprovalStatus' })
  status: ApprovalStatus;
  tenant: string;
  run_id: string | null;
  action: string;
  /** The context as requested, secrets redacted. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  context: Record<string, unknown>;
  /** SHA-256 (hex) of the canonical JSON of the action and its judged context fields (docs/approvals.md). */
  action_digest: string;
  /** Principal id of the requester. */
  requested_by: string;
  justification: string | null;
  /** The policy's reason for asking a human. */
  reason: string;
  rule_ids: string[];
  /** Distinct approvers needed; one reject rejects. */
  required_approvals: number;
  decisions: ApprovalDecisionRecordDto[];
  created_at: string;
  /** Pending: when the request lapses. Approved: when the unused grant lapses. */
  expires_at: string;
  decided_at: string | null;
  consumed_at: string | null;
  /** Compact JWS (EdDSA) of the grant, verifiable with GET /.well-known/jwks.json; set once approved. */
  receipt: string | null;
}

export class ApprovalListDto {
  /** Newest first. */
  approvals: ApprovalDto[];
  /** Pass as `cursor` for the next page; null when there is none. */
  next_cursor: string | null;
}

export class DecideApprovalDto {
  @ApiProperty({ enum: APPROVAL_VERDICTS, enumName: 'ApprovalVerdict', example: 'approve' })
  @IsIn(APPROVAL_VERDICTS)
  decision: ApprovalVerdict;

  /** Shown with the decision; kept in the approval and the audit trail. @example "Release window confirmed" */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class GetApprovalQueryDto {
  /** Long-poll: wait up to this many seconds (0-60) for the approval to leave `pending`. */
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'wait must be a whole number of seconds from 0 to 60' })
  @Min(0, { message: 'wait must be a whole number of seconds from 0 to 60' })
  @Max(60, { message: 'wait must be a whole number of seconds from 0 to 60' })
  wait?: number;
}

export class ListApprovalsQueryDto {
  @IsOptional()
  @ApiProperty({ enum: APPROVAL_STATUSES, enumName: 'ApprovalStatus', required: false })
  @IsIn(APPROVAL_STATUSES)
  status?: ApprovalStatus;

  @IsOptional()
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id?: string;

  /** At most this many (1-100, default 50). */
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'limit must be an integer from 1 to 100' })
  @Min(1, { message: 'limit must be an integer from 1 to 100' })
  @Max(100, { message: 'limit must be an integer from 1 to 100' })
  limit?: number;

  /** The `next_cursor` of the previous page. */
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'cursor must be a next_cursor value' })
  cursor?: string;
}

export class ApprovalIdParamsDto {
  /** @example "apr_3f9c0a8e1b2d4c6e8f0a1b2c3d4e5f60" */
  @IsString()
  @MaxLength(128)
  id: string;
}

export class ApprovalChangesDto {
  /** True when the tenant's approvals changed since `since` (or during the wait). @example true */
  changed: boolean;
  /** The tenant's approvals version now: pass it as `since` to the next wait. @example 42 */
  version: number;
}

export class ApprovalChangesQueryDto {
  /** Wait up to this many seconds (0-60, default 25) for any approval of the tenant to change. */
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'wait must be a whole number of seconds from 0 to 60' })
  @Min(0, { message: 'wait must be a whole number of seconds from 0 to 60' })
  @Max(60, { message: 'wait must be a whole number of seconds from 0 to 60' })
  wait?: number;

  /** The `version` of the previous answer: a change since then answers at once. */
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: 'since must be a version number from a previous answer' })
  @Min(0, { message: 'since must be a version number from a previous answer' })
  since?: number;
}
