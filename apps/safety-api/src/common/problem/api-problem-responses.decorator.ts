import { applyDecorators } from '@nestjs/common';
import { ApiResponse, getSchemaPath, type ResponseObject } from '@nestjs/swagger';
import { PROBLEM_CATALOGUE, problemTypeUri } from './problem-catalogue';
import { PROBLEM_SCHEMA } from '../../openapi/problem.schemas';

const RETRY_AFTER_HEADER = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer', example: 30 } },
};

/**
 * Documents the problem+json responses an operation can return, one entry per
 * status, with an example per code. Every operation gets 400/401/403/429/500/503 by
 * default (403 FORBIDDEN_ROLE for a role too low, 429 because the rate limits cover every /api route); pass the
 * domain codes it can raise on top.
 */
export function ApiProblemResponses(...codes: string[]) {
  const all = [
    ...new Set([
      'VALIDATION_FAILED',
      'UNAUTHORIZED',
      'FORBIDDEN_ROLE',
      'RATE_LIMITED',
      'INTERNAL',
      'DEPENDENCY_UNAVAILABLE',
      ...codes,
    ]),
  ];
  const byStatus = new Map<number, string[]>();
  for (const code of all) {
    const spec = PROBLEM_CATALOGUE[code];
    if (!spec) throw new Error(`ApiProblemResponses: unknown problem code ${code}`);
    byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus.entries()].map(([status, statusCodes]) =>
      ApiResponse({ status, ...problemResponseObject(status, statusCodes) }),
    ),
  );
}

/**
 * The OpenAPI response for one status: problem+json, described and exemplified
 * per code (`codes` all have that status). Also used to add responses to the
 * finished document (see openapi/body-problems.ts).
 */
export function problemResponseObject(status: number, codes: readonly string[]): ResponseObject {
  return {
    description: codes.map((code) => `\`${code}\`: ${PROBLEM_CATALOGUE[code].title}`).join('; '),
    ...(status === 429 ? { headers: RETRY_AFTER_HEADER } : {}),
    content: {
      'application/problem+json': {
        schema: { $ref: getSchemaPath(PROBLEM_SCHEMA) },
        examples: Object.fromEntries(
          codes.map((code) => [
            code,
            {
              value: {
                type: problemTypeUri(code),
                title: PROBLEM_CATALOGUE[code].title,
                status,
                detail: PROBLEM_CATALOGUE[code].title + '.',
                instance: '/api/v1/safety/...',
                code,
                request_id: '5f0c6c1e-8f7a-4c8e-9a53-0d2a4f7f2b1a',
              },
            },
          ]),
        ),
      },
    },
  };
}
