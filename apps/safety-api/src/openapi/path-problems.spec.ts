import type { OpenAPIObject } from '@nestjs/swagger';
import { problemResponseObject } from '../common/problem/api-problem-responses.decorator';
import { documentedCodes } from './body-problems';
import { documentPathProblems } from './path-problems';

function documentWith(paths: OpenAPIObject['paths']): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths };
}

describe('documentPathProblems', () => {
  it('adds the routing problems to every operation with a path parameter, keeping the codes already documented', () => {
    const document = documentPathProblems(
      documentWith({
        '/runs/{id}': {
          get: { responses: { 404: problemResponseObject(404, ['BUDGET_NOT_FOUND']) } },
          delete: { responses: { 204: { description: 'gone' } } },
        },
        '/patterns': { get: { responses: { 200: { description: 'ok' } } } },
      }),
    );
    const get = document.paths['/runs/{id}'].get!.responses;
    expect(documentedCodes(get[400])).toEqual(['BAD_REQUEST']);
    expect(documentedCodes(get[404])).toEqual(['BUDGET_NOT_FOUND', 'NOT_FOUND']);
    expect(documentedCodes(get[414])).toEqual(['URI_TOO_LONG']);
    expect(documentedCodes(document.paths['/runs/{id}'].delete!.responses[414])).toEqual(['URI_TOO_LONG']);
    expect(Object.keys(document.paths['/patterns'].get!.responses)).toEqual(['200']);
  });
});
