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

/** Constraints about a value's type: when one fails it is the error worth reading (the others follow from it). */
const TYPE_CONSTRAINTS = ['isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isIn', 'isEnum'];

/**
 * One error per field: its type when that is what is wrong (the other rules follow from it), else
 * its first broken rule. A missing `run_id` used to list both its pattern and "must be a string".
 */
function flatten(errors: ValidationError[], parentPointer: string): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const pointer = `${parentPointer}/${escapePointer(String(error.property))}`;
    const own = fieldError(error, pointer);
    return [...(own ? [own] : []), ...flatten(error.children ?? [], pointer)];
  });
}

function fieldError(error: ValidationError, pointer: string): ProblemFieldError | undefined {
  const constraints = Object.entries(error.constraints ?? {});
  if (constraints.length === 0) return undefined;
  const [, detail] = constraints.find(([name]) => TYPE_CONSTRAINTS.includes(name)) ?? constraints[0];
  return { pointer, detail: humanise(detail) };
}

/** RFC 6901: `~` and `/` inside a key are escaped. */
export function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function humanise(detail: string): string {
  return detail.replace(/^property (.+) should not exist$/, 'unknown field $1 is not allowed');
}
