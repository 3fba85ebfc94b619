import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BudgetNotFoundError,
  ERROR_CLASS_BY_CODE,
  errorFromProblem,
  NotFoundError,
  SafetyApiError,
  ServiceUnavailableError,
  ValidationError,
} from './client.errors';

/** Every problem `code` the API documents (the keys of each problem response's examples). */
function documentedCodes(): Map<string, number> {
  const document = JSON.parse(readFileSync(join(__dirname, '../../../apps/safety-api/openapi.json'), 'utf8'));
  const codes = new Map<string, number>();
  for (const item of Object.values<
    Record<string, { responses?: Record<string, { content?: Record<string, { examples?: object }> }> }>
  >(document.paths)) {
    for (const operation of Object.values(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        for (const code of Object.keys(response.content?.['application/problem+json']?.examples ?? {}))
          codes.set(code, Number(status));
      }
    }
  }
  return codes;
}

const problem = (status: number, code: string) => ({
  type: 't',
  title: 'T',
  status,
  detail: 'd',
  instance: '/i',
  code,
  request_id: 'r',
});

describe('typed errors', () => {
  it('every problem code in openapi.json has its own error class, of the right status family', () => {
    const codes = documentedCodes();
    expect(codes.size).toBeGreaterThan(0);
    const unmapped = [...codes.keys()].filter((code) => !ERROR_CLASS_BY_CODE[code]);
    expect(unmapped).toEqual([]);
    for (const [code, status] of codes) {
      const error = errorFromProblem(problem(status, code));
      const family = errorFromProblem(problem(status, 'NOT_A_REAL_CODE'));
      expect({ code, family: error instanceof family.constructor }).toEqual({ code, family: true });
    }
  });

  it('carries the problem and reads like the server detail', () => {
    const error = errorFromProblem({ ...problem(404, 'BUDGET_NOT_FOUND'), detail: 'Budget not found for run_id: xyz' });
    expect(error).toBeInstanceOf(BudgetNotFoundError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(SafetyApiError);
    expect(error.name).toBe('BudgetNotFoundError');
    expect(error.message).toBe('Budget not found for run_id: xyz');
    expect(error.requestId).toBe('r');
  });

  it('unknown codes fall back by status, and unknown statuses to SafetyApiError', () => {
    expect(errorFromProblem(problem(400, 'NEW_THING'))).toBeInstanceOf(ValidationError);
    expect(errorFromProblem(problem(503, 'NEW_THING'))).toBeInstanceOf(ServiceUnavailableError);
    expect(errorFromProblem(problem(418, 'TEAPOT')).constructor).toBe(SafetyApiError);
  });
});
