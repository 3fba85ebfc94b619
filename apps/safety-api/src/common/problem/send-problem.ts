import type { LoggerService } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './to-problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Writes the problem for `error`; 5xx are logged with the error, 4xx are not noise. */
export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply, logger: LoggerService): void {
  const { problem, headers } = toProblem(error, { id: String(request.id), url: request.url });
  if (problem.status >= 500 && problem.code === 'INTERNAL') {
    logger.error({ msg: 'Unhandled error', err: error, request_id: request.id, route: request.url });
  }
  if (reply.sent) return;
  void reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}
