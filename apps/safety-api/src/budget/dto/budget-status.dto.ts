import { ApiProperty } from '@nestjs/swagger';
import { BUDGET_STATES, type BudgetState } from '@app/budget';

export class BudgetStatusDto {
  /** @example "run-123" */
  run_id: string;
  /** Limit in USD. @example 10 */
  limit: number;
  /** Spent so far in USD (exact to the micro-dollar). @example 0.05 */
  spent: number;
  /** Held by open reservations, in USD. @example 0 */
  reserved: number;
  /** limit - spent - reserved, never below 0. @example 9.95 */
  remaining: number;
  /** spent > limit (only a spend with allow_overage can cause it). */
  exceeded: boolean;
  /** spent / limit as a fraction (0.5 is half), floored to 6 decimals: the unit of `alert_thresholds`. @example 0.005 */
  fraction_used: number;
  /** Deprecated (use `fraction_used`): spent / limit × 100, floored to 2 decimals, so 0.5 means 0.5 %. Removed in the next version. @example 0.5 */
  @ApiProperty({ deprecated: true, example: 0.5 })
  percent_used: number;
  /** `active`, `warning` once an alert threshold is crossed, `exhausted` once spent reaches the limit. */
  @ApiProperty({ enum: BUDGET_STATES, enumName: 'BudgetState' })
  state: BudgetState;
  /** Alert thresholds (fractions of the limit) already reached. @example [] */
  thresholds_crossed: number[];
  /** All alert thresholds of this budget. @example [0.5, 0.8, 1] */
  alert_thresholds: number[];
  @ApiProperty({ format: 'date-time' })
  created_at: string;
  /** Time of the last change (create, spend, reserve, commit, release). */
  @ApiProperty({ format: 'date-time' })
  updated_at: string;
  /** When the budget is deleted unless it changes before: updated_at + BUDGET_TTL_SECONDS. */
  @ApiProperty({ format: 'date-time' })
  expires_at: string;
}

export class SpendResponseDto extends BudgetStatusDto {
  /** The amount of this spend, in USD. @example 0.05 */
  amount: number;
  /** True when an idempotency key matched an earlier spend: nothing was applied again and the first result is returned. */
  replayed: boolean;
}
