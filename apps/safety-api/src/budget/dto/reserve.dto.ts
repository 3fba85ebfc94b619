import { RUN_ID_PATTERN, RUN_ID_RULE } from '@app/budget';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsUsdAmount } from './is-usd-amount.decorator';

export class ReserveDto {
  /** @example "run-123" */
  @IsString()
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id: string;

  /**
   * Amount in USD to hold, > 0, at most 6 decimals.
   * @example 0.5
   */
  @IsUsdAmount()
  amount: number;

  /**
   * Seconds until the hold frees itself if neither committed nor released (default 300).
   * @example 300
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  ttl_seconds?: number;
}

export class CommitReservationDto {
  /**
   * What the work actually cost, in USD: > 0 and at most the amount held.
   * @example 0.42
   */
  @IsUsdAmount()
  amount: number;
}
