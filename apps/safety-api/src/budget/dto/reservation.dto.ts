import { ApiProperty } from '@nestjs/swagger';
import { RESERVATION_STATES, type ReservationState } from '@app/budget';
import { BudgetStatusDto } from './budget-status.dto';

export class ReservationDto {
  /** Opaque id for commit/release. */
  reservation_id: string;
  /** @example "run-123" */
  run_id: string;
  /** Amount held, in USD. @example 0.5 */
  amount: number;
  /** What was spent when committed, in USD. */
  committed_amount?: number;
  /** When the hold frees itself unless committed or released first. */
  @ApiProperty({ format: 'date-time' })
  expires_at: string;
  @ApiProperty({ enum: RESERVATION_STATES, enumName: 'ReservationState' })
  status: ReservationState;
}

export class ReservationSettlementDto extends ReservationDto {
  /** True when this commit/release repeated an earlier one (or released an expired hold) and changed nothing. */
  replayed: boolean;
  /** The run's budget right after. */
  budget: BudgetStatusDto;
}
