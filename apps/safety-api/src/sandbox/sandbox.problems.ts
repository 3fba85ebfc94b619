import type { SandboxErrorCode } from '@app/sandbox';
import type { ProblemSpec } from '../common/problem/problem.types';

/** How every @app/sandbox error code is presented; a new code does not compile until it is mapped here. */
export const SANDBOX_PROBLEMS: Record<SandboxErrorCode, ProblemSpec> = {
  SANDBOX_UNAVAILABLE: { status: 503, title: 'Sandbox unavailable' },
  SANDBOX_SESSION_NOT_FOUND: { status: 404, title: 'Sandbox session not found' },
  SANDBOX_TOO_MANY_SESSIONS: { status: 429, title: 'Too many sandbox sessions' },
  SANDBOX_UPLOAD_INVALID: { status: 400, title: 'Upload path refused' },
  SANDBOX_UPLOAD_TOO_LARGE: { status: 413, title: 'Upload too large' },
  SANDBOX_INVALID_ARGUMENT: { status: 400, title: 'Invalid sandbox request' },
  SANDBOX_TEMPLATE_UNKNOWN: { status: 400, title: 'Unknown sandbox template' },
  SANDBOX_PROVIDER_FAILED: { status: 503, title: 'Sandbox provider failed' },
  POLICY_DENIED: { status: 403, title: 'Denied by policy' },
  POLICY_APPROVAL_REQUIRED: { status: 403, title: 'Policy requires human approval' },
  DEPENDENCY_UNAVAILABLE: { status: 503, title: 'A dependency is unavailable' },
};
