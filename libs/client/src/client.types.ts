/**
 * Names for the generated wire types (snake_case, exactly as the API sends
 * them). Nothing here is written by hand: each alias points into
 * `generated/schema.ts`, produced from apps/safety-api/openapi.json.
 */
import type { components } from './generated/schema';

type Schemas = components['schemas'];

/** RFC 9457 problem details with the stable `code`, `request_id` and any extensions. */
export type ProblemDetails = Schemas['ProblemDetails'];

export type BudgetStatus = Schemas['BudgetStatusDto'];
export type SpendResult = Schemas['SpendResponseDto'];
export type CanSpendResult = Schemas['CanSpendResponseDto'];
export type Reservation = Schemas['ReservationDto'];
export type ReservationSettlement = Schemas['ReservationSettlementDto'];
export type BudgetEvents = Schemas['BudgetEventsDto'];
export type BudgetState = Schemas['BudgetState'];
export type ReservationState = Schemas['ReservationState'];
