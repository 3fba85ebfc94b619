import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { BudgetStatusDto } from '../../budget/dto/budget-status.dto';
import { digitsToNumber } from '../../common/validation/page-limit';

export class ListRunsQueryDto {
  /** At most this many runs (1-100, default 50). */
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

export class RunSummaryDto {
  /** @example "run-123" */
  run_id: string;
  /** When the run's audit trail last changed (ISO-8601). */
  last_activity: string;
  /** The run's budget now, or null when it has none (never created, or expired). */
  @ApiProperty({ type: () => BudgetStatusDto, nullable: true })
  budget: BudgetStatusDto | null;
}

export class RunListDto {
  /** Most recently active first. */
  runs: RunSummaryDto[];
  /** Pass as `cursor` for the next page; null when there is none. */
  next_cursor: string | null;
}
