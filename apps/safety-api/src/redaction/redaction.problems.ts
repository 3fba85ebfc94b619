import type { RedactionErrorCode } from '@app/redaction';
import type { ProblemSpec } from '../common/problem/problem.types';

/** How every @app/redaction error code is presented; a new code does not compile until it is mapped here. */
export const REDACTION_PROBLEMS: Record<RedactionErrorCode, ProblemSpec> = {
  REDACTION_TEXT_TOO_LARGE: { status: 413, title: 'Text too large to redact' },
  REDACTION_INVALID_ARGUMENT: { status: 400, title: 'Invalid redaction request' },
  // Large texts wait for a redaction worker; past the queue's bound the caller retries (Retry-After).
  REDACTION_BUSY: { status: 503, title: 'Redaction workers are busy' },
  // Configuration errors: raised at boot when custom patterns are loaded, never by a request.
  REDACTION_PATTERN_UNSAFE: { status: 500, title: 'Redaction pattern is not linear-time' },
  REDACTION_PATTERN_INVALID: { status: 500, title: 'Redaction pattern is invalid' },
};
