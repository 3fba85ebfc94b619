import { RUN_ID_PATTERN, RUN_ID_RULE } from '@app/budget';
import { ArrayMaxSize, IsArray, IsNumber, IsOptional, IsString, Matches } from 'class-validator';
import { IsUsdAmount } from './is-usd-amount.decorator';

export class CreateBudgetDto {
  /**
   * The agent run this budget caps: 1-128 letters, digits, `.`, `_`, `:`, `-`.
   * @example "run-123"
   */
  @IsString()
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id: string;

  /**
   * Limit in USD, at most 6 decimals. Defaults to DEFAULT_RUN_BUDGET; above MAX_RUN_BUDGET is 400 BUDGET_LIMIT_TOO_HIGH.
   * @example 10
   */
  @IsOptional()
  @IsUsdAmount()
  limit?: number;

  /**
   * Fractions of the limit (0 < f ≤ 1) that each fire one alert when spent reaches them.
   * @example [0.5, 0.8, 1]
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  alert_thresholds?: number[];
}
