import { Redactor, redactValue } from '@app/redaction';
import type { LoggerService } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './to-problem';

/**
 * Problems echo parts of the request (an unknown field's name, a path segment in `instance`, an id
 * in a domain error's detail), and a secret sent there must not come back: every string of the
 * document is redacted. Secret-named fields keep their values (a problem's `session_id` is an id).
 */
const problemRedactor = new Redactor({ maxTextBytes: Number.POSITIVE_INFINITY });

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Writes the problem for `error`; 5xx are logged with the error, 4xx are not noise. */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: LoggerService): void {
  const { problem, headers } = toProblem(error, { id: String(request.id), url: request.url });
  if (problem.status >= 500 && problem.code === 'INTERNAL') {
    logger.error({ msg: 'Unhandled error', err: error, request_id: request.id, route: request.url });
  }
  if (reply.sent) return;
  const safe = redactValue(problemRedactor, problem, { secretNamedKeys: false });
  void reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(safe);
}
