import { HttpException } from '@nestjs/common';
import { PROBLEM_CATALOGUE, problemTypeUri } from './problem-catalogue';
import type { ProblemDocument, ProblemFieldError } from './problem.types';
import { RequestValidationError, type ValidatedPart } from './request-validation.error';

interface ProblemRequest {
  id: string;
  url: string;
}

/** What a thrown error turns into before it becomes a problem document. */
interface Classified {
  code: string;
  detail: string;
  status?: number;
  errors?: ProblemFieldError[];
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

const PART_NAMES: Record<ValidatedPart, string> = {
  body: 'body',
  query: 'query string',
  param: 'path',
  header: 'headers',
};

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'DEPENDENCY_UNAVAILABLE',
};

/**
 * The one place any error becomes RFC 9457 problem+json, for the global
 * filter. Errors Fastify raises before a handler (limits, media type) arrive
 * as HttpExceptions: Nest's own Fastify error handler maps them by status.
 * Unknown errors become a bare 500 INTERNAL: no message, stack or class name
 * leaves the process.
 */
export function toProblem(
  error: unknown,
  request: ProblemRequest,
): { problem: ProblemDocument; headers: Record<string, string> } {
  const classified = classify(error);
  const spec = PROBLEM_CATALOGUE[classified.code] ?? PROBLEM_CATALOGUE.INTERNAL;
  const status = classified.status ?? spec.status;
  const problem: ProblemDocument = {
    ...snakeExtensions(classified.extensions),
    type: problemTypeUri(classified.code),
    title: spec.title,
    status,
    detail: classified.detail,
    instance: request.url.split('?')[0],
    code: classified.code,
    request_id: request.id,
  };
  if (classified.errors) problem.errors = classified.errors;
  return { problem, headers: classified.headers ?? {} };
}

function classify(error: unknown): Classified {
  if (error instanceof RequestValidationError) {
    return {
      code: error.code,
      detail: `The request ${PART_NAMES[error.part]} is invalid: ${error.message}`,
      errors: error.errors,
    };
  }
  if (isDomainError(error)) {
    // A domain error that knows when to retry (a full session cap) says so the HTTP way too.
    const retryAfter = error.extensions?.retryAfterSeconds;
    const headers = typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : undefined;
    return { code: error.code, detail: error.message, extensions: error.extensions, headers };
  }
  if (error instanceof HttpException) return classifyHttpException(error);
  return { code: 'INTERNAL', detail: 'An unexpected error occurred. Quote the request_id when reporting it.' };
}

function classifyHttpException(error: HttpException): Classified {
  const status = error.getStatus();
  const body = error.getResponse();
  const explicitCode = typeof body === 'object' && body !== null && 'code' in body ? String(body.code) : undefined;
  const code = explicitCode && PROBLEM_CATALOGUE[explicitCode] ? explicitCode : (STATUS_CODES[status] ?? 'INTERNAL');
  if (code === 'INTERNAL') {
    return { code, detail: 'An unexpected error occurred. Quote the request_id when reporting it.' };
  }
  const headers =
    typeof body === 'object' && body !== null && 'headers' in body
      ? (body.headers as Record<string, string>)
      : undefined;
  return { code, status, detail: error.message, headers };
}

interface DomainErrorLike {
  code: string;
  message: string;
  extensions?: Record<string, unknown>;
}

/** Lib errors are recognised by shape: a catalogued `code` on an Error. */
function isDomainError(error: unknown): error is DomainErrorLike {
  if (!(error instanceof Error)) return false;
  const code: unknown = Reflect.get(error, 'code');
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(PROBLEM_CATALOGUE, code);
}

function snakeExtensions(extensions: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!extensions) return {};
  return Object.fromEntries(
    Object.entries(extensions).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()), value]),
  );
}
