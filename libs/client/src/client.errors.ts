import type { ProblemDetails } from './client.types';

/**
 * Every non-2xx answer of the Safety API is RFC 9457 problem+json with a
 * stable `code`. The client turns it into an instance of one class per code
 * (grouped under one class per status), so callers can `catch` by meaning
 * (`BudgetExceededError`) or by family (`ConflictError`) and still read the
 * whole problem, extensions included.
 */
export class SafetyApiError extends Error {
  /** HTTP status of the answer. */
  readonly status: number;
  /** Stable UPPER_SNAKE code, e.g. `BUDGET_EXCEEDED`. */
  readonly code: string;
  /** The problem document as the server sent it (extensions included). */
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail || problem.title);
    this.name = new.target.name;
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** The server's request id, for correlating with its logs and audit trail. */
  get requestId(): string {
    return this.problem.request_id;
  }

  /** Validation problems: one entry per invalid field (JSON Pointer into the request body). */
  get fieldErrors(): { pointer: string; detail: string }[] {
    return this.problem.errors ?? [];
  }
}

// ---- 400 --------------------------------------------------------------------
/** The request was refused as invalid (400). */
export class ValidationError extends SafetyApiError {}
export class MalformedJsonError extends ValidationError {}
export class BudgetLimitTooHighError extends ValidationError {}
export class InvalidAmountError extends ValidationError {}
/** `action` is not one of the five ActionType values. */
export class UnknownActionError extends ValidationError {}
/** `context` lacks what the action needs (e.g. `command` for execute_code). */
export class InvalidContextError extends ValidationError {}
/** The candidate policy sent to `POST /policy/test` does not validate; `errors` name pointer and line (400). */
export class PolicyInvalidError extends ValidationError {}
/** A test case sent to `POST /policy/test` is malformed (400). */
export class PolicyTestInvalidError extends ValidationError {}
/** An upload path escapes the workspace, or the upload is malformed. */
export class UploadInvalidError extends ValidationError {}
export class RedactionInvalidArgumentError extends ValidationError {}
export class TemplateUnknownError extends ValidationError {}

// ---- 401 / 403 --------------------------------------------------------------
/** Missing or wrong API key (401). */
export class UnauthorizedError extends SafetyApiError {}
/** Refused on purpose (403). */
export class ForbiddenError extends SafetyApiError {
  /** The policy decision, when the refusal came from PolicyGate (sandbox execution). */
  get decision(): unknown {
    return this.problem['decision'];
  }
}
/**
 * The key's role may not do this (403 `FORBIDDEN_ROLE`): an agent reading an audit trail, spending with
 * allow_overage, or acting in another tenant. Another key, not a retry, is the remedy.
 */
export class ForbiddenRoleError extends ForbiddenError {}
/** The requester of an approval tried to decide it (403 `SELF_APPROVAL`). */
export class SelfApprovalError extends ForbiddenError {}
/** Only the requester may cancel an approval (403 `APPROVAL_NOT_REQUESTER`). */
export class ApprovalNotRequesterError extends ForbiddenError {}
/** The sandbox refused to run a command that policy denies (403 `POLICY_DENIED`). */
export class PolicyDeniedError extends ForbiddenError {}
/** The sandbox refused to run a command that needs human approval (403 `POLICY_APPROVAL_REQUIRED`). */
export class ApprovalRequiredError extends ForbiddenError {}

// ---- 402 --------------------------------------------------------------------
/** The run's budget cannot take this amount (402 `BUDGET_EXCEEDED`); nothing was recorded. */
export class BudgetExceededError extends SafetyApiError {
  /** What is left of the budget (USD), when the server said. */
  get remaining(): number | undefined {
    const remaining = this.problem['remaining'];
    return typeof remaining === 'number' ? remaining : undefined;
  }
}

// ---- 404 / 405 --------------------------------------------------------------
export class NotFoundError extends SafetyApiError {}
/** `Budget not found for run_id: <id>` (404). */
export class BudgetNotFoundError extends NotFoundError {}
export class ReservationNotFoundError extends NotFoundError {}
/** No such approval in the caller's tenant, or not one the caller may see (404 `APPROVAL_NOT_FOUND`). */
export class ApprovalNotFoundError extends NotFoundError {}
/** The run has no audit trail in the caller's tenant (404 `AUDIT_TRAIL_NOT_FOUND`). */
export class AuditTrailNotFoundError extends NotFoundError {}
export class SessionNotFoundError extends NotFoundError {}
export class MethodNotAllowedError extends SafetyApiError {}

// ---- 409 / 413 / 414 / 415 / 422 --------------------------------------------
export class ConflictError extends SafetyApiError {}
export class BudgetAlreadyExistsError extends ConflictError {}
/** The same idempotency key was sent with a different body (409). */
export class IdempotencyKeyReusedError extends ConflictError {}
/** The approval is no longer pending, or this approver already decided it (409 `APPROVAL_NOT_PENDING`). */
export class ApprovalNotPendingError extends ConflictError {}
/** The policy allows the action: no approval needed, just do it (409 `APPROVAL_NOT_NEEDED`). */
export class ApprovalNotNeededError extends ConflictError {}
export class ReservationExpiredError extends ConflictError {}
export class ReservationAlreadySettledError extends ConflictError {}
export class PayloadTooLargeError extends SafetyApiError {}
export class UploadTooLargeError extends PayloadTooLargeError {}
export class RedactionTextTooLargeError extends PayloadTooLargeError {}
/** A path parameter (a run or session id) is longer than any valid id (414). */
export class UriTooLongError extends SafetyApiError {}
export class UnsupportedMediaTypeError extends SafetyApiError {}
export class UnprocessableError extends SafetyApiError {}
export class ReservationAmountExceededError extends UnprocessableError {}

// ---- 429 --------------------------------------------------------------------
/** Too many requests (429); retried automatically only for retry-safe calls. */
export class RateLimitedError extends SafetyApiError {
  /** From the `Retry-After` header, in milliseconds, when present. */
  retryAfterMs?: number;
}
/** The cap on concurrent sandbox sessions was reached (429). */
export class SessionLimitError extends RateLimitedError {}

// ---- 5xx --------------------------------------------------------------------
export class InternalServerError extends SafetyApiError {}
/** The server's policy file does not validate. */
export class PolicyFileInvalidError extends InternalServerError {}
/** A dependency (Redis, the sandbox) is down, or the service is draining (503). The call failed closed. */
export class ServiceUnavailableError extends SafetyApiError {}
export class DependencyUnavailableError extends ServiceUnavailableError {}
export class ShuttingDownError extends ServiceUnavailableError {}
/** Too many large texts wait for a redaction worker; retried automatically (503 with Retry-After). */
export class RedactionBusyError extends ServiceUnavailableError {}
/** No sandbox engine on the server (bubblewrap missing, E2B unreachable): nothing ran (503). */
export class SandboxUnavailableError extends ServiceUnavailableError {}
/** The policy engine has not finished loading. */
export class PolicyNotReadyError extends ServiceUnavailableError {}
/** The sandbox provider failed (not the command: a command's own failure is a result). */
export class SandboxProviderError extends ServiceUnavailableError {}

// ---- transport --------------------------------------------------------------
/** No answer within the per-call timeout (the request may or may not have been applied). */
export class RequestTimeoutError extends Error {
  constructor(
    /** The operation, e.g. `GET /api/v1/safety/budget/{run_id}`. */
    readonly operation: string,
    readonly baseUrl: string,
    readonly timeoutMs: number,
  ) {
    super(`${operation} at ${baseUrl} timed out after ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The server could not be reached (connection refused, reset, DNS). */
export class ConnectionError extends Error {
  constructor(
    /** The operation, e.g. `POST /api/v1/safety/check`. */
    readonly operation: string,
    readonly baseUrl: string,
    readonly cause: unknown,
  ) {
    super(`${operation} at ${baseUrl} failed: ${describeCause(cause)}`);
    this.name = 'ConnectionError';
  }
}

/** undici says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is in its `cause`. */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = (cause as Error & { cause?: unknown }).cause;
  return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
}

type SafetyApiErrorClass = new (problem: ProblemDetails) => SafetyApiError;

/**
 * One class per problem `code` the API documents. A test compares this table
 * with the codes in `openapi.json`, so a new server code fails the build
 * until it has a class here.
 */
export const ERROR_CLASS_BY_CODE: Readonly<Record<string, SafetyApiErrorClass>> = {
  MALFORMED_JSON: MalformedJsonError,
  VALIDATION_FAILED: ValidationError,
  BAD_REQUEST: ValidationError,
  UNAUTHORIZED: UnauthorizedError,
  FORBIDDEN: ForbiddenError,
  FORBIDDEN_ROLE: ForbiddenRoleError,
  AUDIT_TRAIL_NOT_FOUND: AuditTrailNotFoundError,
  APPROVAL_NOT_FOUND: ApprovalNotFoundError,
  APPROVAL_NOT_PENDING: ApprovalNotPendingError,
  APPROVAL_NOT_NEEDED: ApprovalNotNeededError,
  SELF_APPROVAL: SelfApprovalError,
  APPROVAL_NOT_REQUESTER: ApprovalNotRequesterError,
  NOT_FOUND: NotFoundError,
  METHOD_NOT_ALLOWED: MethodNotAllowedError,
  CONFLICT: ConflictError,
  PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  UNSUPPORTED_MEDIA_TYPE: UnsupportedMediaTypeError,
  URI_TOO_LONG: UriTooLongError,
  RATE_LIMITED: RateLimitedError,
  INTERNAL: InternalServerError,
  DEPENDENCY_UNAVAILABLE: DependencyUnavailableError,
  SHUTTING_DOWN: ShuttingDownError,
  // budget
  BUDGET_NOT_FOUND: BudgetNotFoundError,
  BUDGET_EXCEEDED: BudgetExceededError,
  BUDGET_ALREADY_EXISTS: BudgetAlreadyExistsError,
  BUDGET_LIMIT_TOO_HIGH: BudgetLimitTooHighError,
  BUDGET_INVALID_AMOUNT: InvalidAmountError,
  BUDGET_INVALID_ARGUMENT: ValidationError,
  IDEMPOTENCY_KEY_REUSED: IdempotencyKeyReusedError,
  RESERVATION_NOT_FOUND: ReservationNotFoundError,
  RESERVATION_EXPIRED: ReservationExpiredError,
  RESERVATION_ALREADY_SETTLED: ReservationAlreadySettledError,
  RESERVATION_AMOUNT_EXCEEDED: ReservationAmountExceededError,
  // policy
  POLICY_UNKNOWN_ACTION: UnknownActionError,
  POLICY_INVALID_CONTEXT: InvalidContextError,
  POLICY_INVALID: PolicyInvalidError,
  POLICY_TEST_INVALID: PolicyTestInvalidError,
  POLICY_FILE_INVALID: PolicyFileInvalidError,
  POLICY_NOT_READY: PolicyNotReadyError,
  // sandbox
  POLICY_DENIED: PolicyDeniedError,
  POLICY_APPROVAL_REQUIRED: ApprovalRequiredError,
  SANDBOX_UNAVAILABLE: SandboxUnavailableError,
  SANDBOX_SESSION_NOT_FOUND: SessionNotFoundError,
  SANDBOX_TOO_MANY_SESSIONS: SessionLimitError,
  SANDBOX_UPLOAD_INVALID: UploadInvalidError,
  SANDBOX_UPLOAD_TOO_LARGE: UploadTooLargeError,
  REDACTION_INVALID_ARGUMENT: RedactionInvalidArgumentError,
  REDACTION_TEXT_TOO_LARGE: RedactionTextTooLargeError,
  REDACTION_BUSY: RedactionBusyError,
  SANDBOX_INVALID_ARGUMENT: ValidationError,
  SANDBOX_TEMPLATE_UNKNOWN: TemplateUnknownError,
  SANDBOX_PROVIDER_FAILED: SandboxProviderError,
};

/** For a code this client version does not know yet: the family of its status. */
const ERROR_CLASS_BY_STATUS: Readonly<Record<number, SafetyApiErrorClass>> = {
  400: ValidationError,
  401: UnauthorizedError,
  402: BudgetExceededError,
  403: ForbiddenError,
  404: NotFoundError,
  405: MethodNotAllowedError,
  409: ConflictError,
  413: PayloadTooLargeError,
  414: UriTooLongError,
  415: UnsupportedMediaTypeError,
  422: UnprocessableError,
  429: RateLimitedError,
  500: InternalServerError,
  503: ServiceUnavailableError,
};

/** The typed error for a problem document. */
export function errorFromProblem(problem: ProblemDetails): SafetyApiError {
  const ErrorClass = ERROR_CLASS_BY_CODE[problem.code] ?? ERROR_CLASS_BY_STATUS[problem.status] ?? SafetyApiError;
  return new ErrorClass(problem);
}

export function isProblemDetails(body: unknown): body is ProblemDetails {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return (
    typeof candidate.status === 'number' && typeof candidate.code === 'string' && typeof candidate.title === 'string'
  );
}
