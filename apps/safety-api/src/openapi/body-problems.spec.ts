import type { OpenAPIObject } from '@nestjs/swagger';
import { problemResponseObject } from '../common/problem/api-problem-responses.decorator';
import { documentBodyProblems, documentedCodes } from './body-problems';

function documentWith(paths: OpenAPIObject['paths']): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths };
}

describe('documentBodyProblems', () => {
  it('adds the parser problems to every operation but GET and HEAD, keeping the codes already documented', () => {
    const document = documentBodyProblems(
      documentWith({
        '/a': {
          post: { responses: { 400: problemResponseObject(400, ['VALIDATION_FAILED']) } },
          get: { responses: { 200: { description: 'ok' } } },
        },
        '/b/{id}': {
          delete: { responses: { 413: problemResponseObject(413, ['REDACTION_TEXT_TOO_LARGE']) } },
        },
      }),
    );
    const post = document.paths['/a'].post!.responses;
    expect(documentedCodes(post[400])).toEqual(['VALIDATION_FAILED', 'MALFORMED_JSON']);
    expect(documentedCodes(post[413])).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(documentedCodes(post[415])).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
    expect(Object.keys(document.paths['/a'].get!.responses)).toEqual(['200']);
    expect(documentedCodes(document.paths['/b/{id}'].delete!.responses[413])).toEqual([
      'REDACTION_TEXT_TOO_LARGE',
      'PAYLOAD_TOO_LARGE',
    ]);
  });

  it('changes nothing when the codes are already there', () => {
    const responses = {
      400: problemResponseObject(400, ['MALFORMED_JSON']),
      413: problemResponseObject(413, ['PAYLOAD_TOO_LARGE']),
      415: problemResponseObject(415, ['UNSUPPORTED_MEDIA_TYPE']),
    };
    const document = documentBodyProblems(documentWith({ '/c': { put: { responses: structuredClone(responses) } } }));
    expect(document.paths['/c'].put!.responses).toEqual(responses);
  });
});
