/**
 * Names for the generated wire types (snake_case, exactly as the API sends
 * them). Nothing here is written by hand: each alias points into
 * `generated/schema.ts`, produced from apps/safety-api/openapi.json.
 */
import type { components } from './generated/schema';

type Schemas = components['schemas'];

/** RFC 9457 problem details with the stable `code`, `request_id` and any extensions. */
export type ProblemDetails = Schemas['ProblemDetails'];

export type RunList = Schemas['RunListDto'];
export type RunSummary = Schemas['RunSummaryDto'];
export type AuditTrail = Schemas['AuditTrailDto'];
export type Approval = Schemas['ApprovalDto'];
export type ApprovalList = Schemas['ApprovalListDto'];
export type ApprovalStatus = Schemas['ApprovalStatus'];
export type ApprovalVerdict = Schemas['ApprovalVerdict'];

/** The principal behind an API key (`GET /whoami`). */
export type Principal = Schemas['WhoamiDto'];
export type Role = Principal['role'];

export type BudgetStatus = Schemas['BudgetStatusDto'];
export type SpendResult = Schemas['SpendResponseDto'];
export type CanSpendResult = Schemas['CanSpendResponseDto'];
export type Reservation = Schemas['ReservationDto'];
export type ReservationSettlement = Schemas['ReservationSettlementDto'];
export type BudgetEvents = Schemas['BudgetEventsDto'];
export type RedactRequest = Schemas['RedactRequestDto'];
export type RedactResult = Schemas['RedactResponseDto'];
export type BudgetState = Schemas['BudgetState'];
export type ReservationState = Schemas['ReservationState'];

export type ActionTypeValue = Schemas['ActionType'];
export type PolicyDecision = Schemas['PolicyDecisionDto'];
export type PolicyDecisionOutcome = Schemas['PolicyDecisionOutcome'];
export type RiskLevel = Schemas['RiskLevel'];
/** `context` of a policy check: the documented fields of each action, plus any other keys (kept in the decision log). */
export type PolicyContext = Schemas['SafetyCheckDto']['context'];
export type ExecuteCodeContext = Schemas['ExecuteCodeContextDto'] & { [key: string]: unknown };

export type SessionWire = Schemas['SessionDto'];
export type SandboxFileWire = Schemas['SandboxFileDto'];
export type SessionExecuteResult = Schemas['SessionExecuteResponseDto'];
export type SafeExecuteResult = Schemas['SafeExecuteResponseDto'];
export type UploadFilesResult = Schemas['UploadFilesResponseDto'];
