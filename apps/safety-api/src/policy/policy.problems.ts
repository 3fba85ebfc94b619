import type { PolicyErrorCode } from '@app/policy';
import type { ProblemSpec } from '../common/problem/problem.types';

/** Every @app/policy error code as problem+json. A deny is a 200 decision, never a problem. */
export const POLICY_PROBLEMS: Record<PolicyErrorCode, ProblemSpec> = {
  POLICY_UNKNOWN_ACTION: { status: 400, title: 'Unknown action' },
  POLICY_INVALID_CONTEXT: { status: 400, title: 'Invalid context for the action' },
  POLICY_FILE_INVALID: { status: 500, title: 'Policy file is invalid' },
  POLICY_INVALID: { status: 400, title: 'Policy is invalid' },
  POLICY_TEST_INVALID: { status: 400, title: 'Policy test case is invalid' },
  POLICY_NOT_READY: { status: 503, title: 'Policy engine is not ready' },
};
