import type { ProblemSpec } from '../common/problem/problem.types';

/** Problem catalogue section for @app/policy (filled when its error codes exist). */
export const POLICY_PROBLEMS: Record<never, ProblemSpec> = {};
