import type { ApprovalErrorCode } from '@app/approvals';
import type { ProblemSpec } from '../common/problem/problem.types';

/** How every @app/approvals error code is presented; a new code does not compile until it is mapped here. */
export const APPROVALS_PROBLEMS: Record<ApprovalErrorCode, ProblemSpec> = {
  APPROVAL_NOT_FOUND: { status: 404, title: 'Approval not found' },
  APPROVAL_NOT_PENDING: { status: 409, title: 'Approval is not pending' },
  SELF_APPROVAL: { status: 403, title: 'The requester may not decide its own approval' },
  APPROVAL_NOT_REQUESTER: { status: 403, title: 'Only the requester may do this' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
};

/** Raised by the HTTP layer, which asks the policy before the approvals lib is involved. */
export const APPROVAL_HTTP_PROBLEMS = {
  APPROVAL_NOT_NEEDED: { status: 409, title: 'The policy allows this action without approval' },
} as const satisfies Record<string, ProblemSpec>;
