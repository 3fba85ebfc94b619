import type { FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';

/** Becomes 400 MALFORMED_JSON (caught by the problem filter by its code). */
export class MalformedJsonError extends Error {
  readonly code = 'MALFORMED_JSON';
  constructor(message = 'The request body is not valid JSON.') {
    super(message);
    this.name = 'MalformedJsonError';
  }
}

/**
 * Our only body parser. Prototype-pollution keys (`__proto__`,
 * `constructor.prototype`) are refused like any other malformed body, so no
 * handler ever sees them.
 */
export function parseJsonBody(_request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') return done(new MalformedJsonError('The request body is empty but content-type is application/json.'));
  try {
    done(null, secureJson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' }));
  } catch (error) {
    const reason = error instanceof SyntaxError && /prototype/.test(error.message) ? ' It contains a forbidden prototype key.' : '';
    done(new MalformedJsonError(`The request body is not valid JSON.${reason}`));
  }
}
