import type { ProblemSpec } from '../common/problem/problem.types';

/** Problem catalogue section for @app/sandbox (filled when its error codes exist). */
export const SANDBOX_PROBLEMS: Record<never, ProblemSpec> = {};
