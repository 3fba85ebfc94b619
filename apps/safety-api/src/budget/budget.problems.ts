import type { ProblemSpec } from '../common/problem/problem.types';

/** Problem catalogue section for @app/budget (filled when its error codes exist). */
export const BUDGET_PROBLEMS: Record<never, ProblemSpec> = {};
