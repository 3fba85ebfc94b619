import type { ValidationError } from 'class-validator';
import type { ProblemFieldError } from './problem.types';

/** Which part of the request failed: the pointers are relative to it. */
export type ValidatedPart = 'body' | 'query' | 'param' | 'header';

/** Raised by the global ValidationPipe; becomes 400 VALIDATION_FAILED. */
export class RequestValidationError extends Error {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    readonly errors: ProblemFieldError[],
    readonly part: ValidatedPart = 'body',
  ) {
    super(errors.map((error) => `${error.pointer}: ${error.detail}`).join('; '));
    this.name = 'RequestValidationError';
  }

  /** The same errors, found in `part` of the request (the pipe knows it, the exception factory does not). */
  in(part: ValidatedPart): RequestValidationError {
    return new RequestValidationError(this.errors, part);
  }

  /** One entry per distinct (pointer, detail): constraints that share a message are reported once. */
  static fromValidationErrors(errors: ValidationError[]): RequestValidationError {
    const seen = new Set<string>();
    const distinct = flatten(errors, '').filter(({ pointer, detail }) => {
      const key = `${pointer}\u0000${detail}`;
      return !seen.has(key) && seen.add(key);
    });
    return new RequestValidationError(distinct);
  }
}

function flatten(errors: ValidationError[], parentPointer: string): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const pointer = `${parentPointer}/${escapePointer(String(error.property))}`;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({ pointer, detail: humanise(detail) }));
    return [...own, ...flatten(error.children ?? [], pointer)];
  });
}

/** RFC 6901: `~` and `/` inside a key are escaped. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function humanise(detail: string): string {
  return detail.replace(/^property (.+) should not exist$/, 'unknown field $1 is not allowed');
}
