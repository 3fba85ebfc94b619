import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class AuditQueryDto {
  /** How many of the most recent events to return (1-1000). */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number = 100;
}

export class AuditEventDto {
  /** Stream entry id. */
  id: string;
  /** Event type: `policy.decision`, `budget.create|spend|reserve|commit|release`, `sandbox.execution`. */
  type: string;
  run_id: string;
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
