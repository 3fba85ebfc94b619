/**
 * TypeScript client for the Safety API: no framework, Node's global fetch.
 * Wire types are generated from apps/safety-api/openapi.json (`npm run client:generate`).
 */
export { ActionType, ACTION_TYPES } from './action-type';
export { AuthClient } from './auth.client';
export {
  ApprovalExpiredError,
  ApprovalRejectedError,
  ApprovalsClient,
  ApprovalTimeoutError,
  ApprovalWaitError,
  type RequestApprovalOptions,
  type WaitOptions,
} from './approvals.client';
export { BudgetClient, type CreateBudgetOptions, type ReserveOptions, type SpendOptions } from './budget.client';
export * from './client.errors';
export {
  DEFAULT_BASE_URL,
  resolveBaseUrl,
  type CallOptions,
  type RetryOptions,
  type SafetyClientOptions,
} from './client.options';
export type * from './client.types';
export { PolicyBlockedError, PolicyClient, type EnforceOptions } from './policy.client';
export { RunsClient } from './runs.client';
export type { components, operations, paths } from './generated/schema';
export { RedactionClient, type RedactOptions, type RedactResult } from './redaction.client';
export {
  E2BSandbox,
  safeExecuteCode,
  SandboxClient,
  type CreateSessionOptions,
  type ExecutionResult,
  type SafeExecuteParams,
  type SafeExecutionResult,
  type SandboxFile,
  type SandboxSession,
  type SessionExecuteOptions,
} from './sandbox.client';
