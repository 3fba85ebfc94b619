import type { OpenAPIObject } from '@nestjs/swagger';

type Schemas = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>;

export const PROBLEM_SCHEMA = 'ProblemDetails';

/** RFC 9457 problem+json, the body of every non-2xx response. */
export function problemSchemas(): Schemas {
  return {
    [PROBLEM_SCHEMA]: {
      type: 'object',
      description: 'RFC 9457 problem details. `code` is stable and machine-readable.',
      required: ['type', 'title', 'status', 'detail', 'instance', 'code', 'request_id'],
      properties: {
        type: { type: 'string', example: 'urn:safety-api:problem:validation-failed' },
        title: { type: 'string', example: 'Request validation failed' },
        status: { type: 'integer', example: 400 },
        detail: { type: 'string', example: 'The request body is invalid: /amount: amount must be a number' },
        instance: { type: 'string', example: '/api/v1/safety/budget/spend' },
        code: { type: 'string', example: 'VALIDATION_FAILED' },
        request_id: { type: 'string', example: '5f0c6c1e-8f7a-4c8e-9a53-0d2a4f7f2b1a' },
        errors: {
          type: 'array',
          description: 'Present on VALIDATION_FAILED: one entry per invalid field.',
          items: {
            type: 'object',
            required: ['pointer', 'detail'],
            properties: {
              pointer: {
                type: 'string',
                description: 'JSON Pointer (RFC 6901) into the request body',
                example: '/amount',
              },
              detail: { type: 'string', example: 'amount must be a positive number' },
            },
          },
        },
      },
      additionalProperties: true,
    },
  };
}
