import type { ProblemSpec } from '../common/problem/problem.types';

/** Problem catalogue section for @app/redaction (filled when its error codes exist). */
export const REDACTION_PROBLEMS: Record<never, ProblemSpec> = {};
