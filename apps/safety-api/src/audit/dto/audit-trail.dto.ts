import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { digitsToNumber, PAGE_LIMIT_RULE } from '../../common/validation/page-limit';

export class AuditQueryDto {
  /** How many of the most recent events to return (1-1000). */
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: PAGE_LIMIT_RULE })
  @Min(1, { message: PAGE_LIMIT_RULE })
  @Max(1000, { message: PAGE_LIMIT_RULE })
  limit?: number = 100;
}

export class AuditEventDto {
  /** Stream entry id. */
  id: string;
  /** Event type: `policy.decision`, `budget.create|spend|reserve|commit|release`, `sandbox.execution`. */
  type: string;
  run_id: string;
  /** The run's tenant. @example "acme" */
  tenant: string;
  /** The principal whose call it was (`unknown` on events recorded before principals existed). @example "ci-agent" */
  key_id: string;
  /** Present when an admin acted in this tenant from another (X-Safety-Tenant): the admin's own tenant. */
  acting_from_tenant?: string;
  /** When the event was recorded (ISO-8601). */
  at: string;
  /** The request that caused it. */
  request_id: string;
  /** `ok`, or the problem code the call ended with. */
  outcome: string;
  /** Event-specific fields, redacted. */
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { decision: 'deny', rule_ids: ['fs.recursive-delete-root'] },
  })
  data: Record<string, unknown>;
}

export class AuditTrailDto {
  run_id: string;
  /** Oldest first. */
  events: AuditEventDto[];
}
