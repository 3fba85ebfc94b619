import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { problemResponseObject } from '../common/problem/api-problem-responses.decorator';
import { PROBLEM_CATALOGUE } from '../common/problem/problem-catalogue';

/**
 * What our JSON body parser refuses before any handler runs (json-body.parser.ts
 * and Fastify's body limit). Fastify parses a body sent with any method but GET
 * and HEAD, whether or not the handler reads it, so all other operations can
 * answer these.
 */
const BODY_PROBLEMS = ['MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] as const;

/**
 * Adds the body-parsing problems to every operation that can carry a body,
 * next to the codes its controller documents for the same status. Done on the
 * finished document, once for all routes, so no controller can forget them.
 */
export function documentBodyProblems(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(pathItem as Record<string, OperationObject>)) {
      if (!operation?.responses || method === 'get' || method === 'head') continue;
      addProblems(operation, BODY_PROBLEMS);
    }
  }
  return document;
}

/** Documents each problem code on the operation, next to the codes already documented for its status. */
export function addProblems(
  operation: OperationObject,
  problemCodes: ReadonlyArray<keyof typeof PROBLEM_CATALOGUE>,
): void {
  for (const code of problemCodes) {
    const status = PROBLEM_CATALOGUE[code].status;
    const codes = documentedCodes(operation.responses[status]);
    if (!codes.includes(code)) operation.responses[status] = problemResponseObject(status, [...codes, code]);
  }
}

/** The problem codes a response documents: the keys of its problem+json examples. */
export function documentedCodes(response: ResponseObject | ReferenceObject | undefined): string[] {
  if (!response || !('content' in response)) return [];
  return Object.keys(response.content?.['application/problem+json']?.examples ?? {});
}
