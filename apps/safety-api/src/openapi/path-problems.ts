import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import { addProblems } from './body-problems';

/**
 * What the router answers for a path parameter before any handler runs (routing-problems.ts):
 * a malformed percent-encoding (400 BAD_REQUEST), a segment it cannot route such as `.` or `..`
 * (404 NOT_FOUND), and a parameter over MAX_PATH_PARAM_LENGTH (414 URI_TOO_LONG).
 */
const PATH_PROBLEMS = ['BAD_REQUEST', 'NOT_FOUND', 'URI_TOO_LONG'] as const;

/** Adds the routing problems to every operation whose path has a parameter, like documentBodyProblems. */
export function documentPathProblems(document: OpenAPIObject): OpenAPIObject {
  for (const [path, pathItem] of Object.entries(document.paths ?? {})) {
    if (!path.includes('{')) continue;
    for (const operation of Object.values(pathItem as Record<string, OperationObject>)) {
      if (operation?.responses) addProblems(operation, PATH_PROBLEMS);
    }
  }
  return document;
}
