import { APPROVAL_HTTP_PROBLEMS, APPROVALS_PROBLEMS } from '../../approvals/approvals.problems';
import { BUDGET_PROBLEMS } from '../../budget/budget.problems';
import { POLICY_PROBLEMS } from '../../policy/policy.problems';
import { REDACTION_PROBLEMS } from '../../redaction/redaction.problems';
import { SANDBOX_PROBLEMS } from '../../sandbox/sandbox.problems';
import type { ProblemSpec } from './problem.types';

/** Codes the HTTP layer itself raises (not owned by any lib). */
export const HTTP_PROBLEMS = {
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON body' },
  VALIDATION_FAILED: { status: 400, title: 'Request validation failed' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  UNAUTHORIZED: { status: 401, title: 'Missing or invalid API key' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  FORBIDDEN_ROLE: { status: 403, title: 'Role not allowed' },
  AUDIT_TRAIL_NOT_FOUND: { status: 404, title: 'Audit trail not found' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  URI_TOO_LONG: { status: 414, title: 'URI too long' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
  SHUTTING_DOWN: { status: 503, title: 'Service is shutting down' },
} as const satisfies Record<string, ProblemSpec>;

/**
 * Every stable error code and how it is presented. Each lib's section is typed
 * `Record<ItsErrorCode, ProblemSpec>`, so a new domain code does not compile
 * until it is mapped here.
 */
export const PROBLEM_CATALOGUE: Readonly<Record<string, ProblemSpec>> = {
  ...HTTP_PROBLEMS,
  ...POLICY_PROBLEMS,
  ...BUDGET_PROBLEMS,
  ...REDACTION_PROBLEMS,
  ...SANDBOX_PROBLEMS,
  ...APPROVALS_PROBLEMS,
  ...APPROVAL_HTTP_PROBLEMS,
};

export type HttpProblemCode = keyof typeof HTTP_PROBLEMS;

/**
 * Base of every problem `type`. A URN, because we publish no documentation
 * page per problem and a dereferenceable-looking URL would promise one.
 */
export const PROBLEM_TYPE_BASE = 'urn:safety-api:problem:';

export function problemTypeUri(code: string): string {
  return PROBLEM_TYPE_BASE + code.toLowerCase().replace(/_/g, '-');
}
