import { IDEMPOTENCY_KEY_PATTERN, RUN_ID_PATTERN, RUN_ID_RULE } from '@app/budget';
import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { IsUsdAmount } from './is-usd-amount.decorator';

export class SpendDto {
  /** @example "run-123" */
  @IsString()
  @Matches(RUN_ID_PATTERN, { message: RUN_ID_RULE })
  run_id: string;

  /**
   * Cost in USD, > 0, at most 6 decimals.
   * @example 0.05
   */
  @IsUsdAmount()
  amount: number;

  /**
   * Makes retries safe: the same key with the same body is applied once and its first result replayed (24 h);
   * the same key with another body is 409 IDEMPOTENCY_KEY_REUSED. The `Idempotency-Key` header does the same.
   * @example "tool-call-42"
   */
  @IsOptional()
  @IsString()
  @Matches(IDEMPOTENCY_KEY_PATTERN, {
    message: 'idempotency_key must be 1-255 printable ASCII characters without spaces',
  })
  idempotency_key?: string;

  /** Record a cost already incurred even if it takes spent over the limit; the status then says `exceeded`. */
  @IsOptional()
  @IsBoolean()
  allow_overage?: boolean;
}
