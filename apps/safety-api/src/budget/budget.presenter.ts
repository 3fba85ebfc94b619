import type {
  BudgetEvent,
  BudgetStatus,
  CanSpendResult,
  Reservation,
  ReservationSettlement,
  SpendResult,
} from '@app/budget';
import { unscopedRunId } from '@app/budget';
import type { BudgetStatusDto, SpendResponseDto } from './dto/budget-status.dto';
import type { BudgetEventDto } from './dto/budget-events.dto';
import type { CanSpendResponseDto } from './dto/can-spend.dto';
import type { ReservationDto, ReservationSettlementDto } from './dto/reservation.dto';

/** Library results → snake_case wire bodies. Run ids go back as the tenant knows them (no tenant scope). */
export function statusBody(status: BudgetStatus): BudgetStatusDto {
  return {
    run_id: unscopedRunId(status.runId),
    limit: status.limit,
    spent: status.spent,
    reserved: status.reserved,
    remaining: status.remaining,
    exceeded: status.exceeded,
    fraction_used: status.fractionUsed,
    percent_used: status.percentUsed,
    state: status.state,
    thresholds_crossed: status.thresholdsCrossed,
    alert_thresholds: status.alertThresholds,
    created_at: status.createdAt.toISOString(),
    updated_at: status.updatedAt.toISOString(),
    expires_at: status.expiresAt.toISOString(),
  };
}

export function spendBody(result: SpendResult): SpendResponseDto {
  return { ...statusBody(result), amount: result.amount, replayed: result.replayed };
}

export function canSpendBody(result: CanSpendResult): CanSpendResponseDto {
  return {
    run_id: unscopedRunId(result.runId),
    amount: result.amount,
    can_spend: result.canSpend,
    remaining: result.remaining,
  };
}

export function reservationBody(reservation: Reservation): ReservationDto {
  return {
    reservation_id: reservation.reservationId,
    run_id: unscopedRunId(reservation.runId),
    amount: reservation.amount,
    ...(reservation.committedAmount !== undefined ? { committed_amount: reservation.committedAmount } : {}),
    expires_at: reservation.expiresAt.toISOString(),
    status: reservation.status,
  };
}

export function settlementBody(settlement: ReservationSettlement): ReservationSettlementDto {
  return {
    ...reservationBody(settlement.reservation),
    replayed: settlement.replayed,
    budget: statusBody(settlement.budget),
  };
}

export function eventBody(event: BudgetEvent): BudgetEventDto {
  return {
    id: event.id,
    type: event.type,
    at: event.at.toISOString(),
    ...(event.amount !== undefined ? { amount: event.amount } : {}),
    spent: event.spent,
    reserved: event.reserved,
    ...(event.threshold !== undefined ? { threshold: event.threshold } : {}),
    ...(event.reservationId !== undefined ? { reservation_id: event.reservationId } : {}),
  };
}
