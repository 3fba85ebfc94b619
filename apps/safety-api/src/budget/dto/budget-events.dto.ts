import { ApiProperty } from '@nestjs/swagger';
import { BUDGET_EVENT_TYPES, type BudgetEventType } from '@app/budget';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { digitsToNumber, PAGE_LIMIT_RULE } from '../../common/validation/page-limit';

export class ListBudgetEventsQueryDto {
  /** At most this many events (default 100). */
  @IsOptional()
  @Transform(digitsToNumber)
  @IsInt({ message: PAGE_LIMIT_RULE })
  @Min(1, { message: PAGE_LIMIT_RULE })
  @Max(1000, { message: PAGE_LIMIT_RULE })
  limit?: number;

  /** Only events after this event id (the `next_after` of the previous page). */
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,16}-\d{1,16}$/, { message: 'after must be an event id such as 1700000000000-0' })
  after?: string;
}

export class BudgetEventDto {
  /** Event id, ordered; use as `after` to page. @example "1732472400000-0" */
  id: string;
  @ApiProperty({ enum: BUDGET_EVENT_TYPES, enumName: 'BudgetEventType' })
  type: BudgetEventType;
  @ApiProperty({ format: 'date-time' })
  at: string;
  /** The event's own amount in USD (spend, hold, commit; the limit for budget_created). */
  amount?: number;
  /** Spent right after the event, in USD. */
  spent: number;
  /** Reserved right after the event, in USD. */
  reserved: number;
  /** For threshold_crossed: the fraction of the limit reached. */
  threshold?: number;
  reservation_id?: string;
}

export class BudgetEventsDto {
  /** @example "run-123" */
  run_id: string;
  /** Oldest first. */
  events: BudgetEventDto[];
  /** Pass as `after` for the next page; null when this page was not full. */
  next_after: string | null;
}
