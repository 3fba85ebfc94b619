import { RUN_ID_PATTERN, RUN_ID_RULE } from '@app/budget';
import { IsString, Matches } from 'class-validator';
import { IsUsdAmount } from './is-usd-amount.decorator';

export class CanSpendDto {
  /** @example "run-123" */
  @IsString()
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id: string;

  /**
   * Amount in USD to check, > 0, at most 6 decimals.
   * @example 0.05
   */
  @IsUsdAmount()
  amount: number;
}

export class CanSpendResponseDto {
  /** @example "run-123" */
  run_id: string;
  /** @example 0.05 */
  amount: number;
  /** Whether `amount` fits in what is left now (limit - spent - reserved). */
  can_spend: boolean;
  /** @example 9.95 */
  remaining: number;
}
