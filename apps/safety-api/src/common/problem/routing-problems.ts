import { BadRequestException, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../request-id/request-id';
import { sendProblem } from './send-problem';

/** Longest path parameter Fastify routes; longer ones are 414 URI_TOO_LONG. */
export const MAX_PATH_PARAM_LENGTH = 256;

const logger = new Logger('Http');

/**
 * Fastify `frameworkErrors`: errors its router raises before any route, hook or
 * error handler runs (a malformed percent-encoding, an overlong path parameter).
 * Without it Fastify writes its own JSON body; with it they are problem+json
 * with a request id like every other error.
 */
export function sendRoutingProblem(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  void reply.header(REQUEST_ID_HEADER, String(request.id));
  sendProblem(asHttpException(error), request, reply, logger);
}

function asHttpException(error: Error & { code?: string }): unknown {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new BadRequestException('The URL is not valid: it holds a malformed percent-encoding.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new HttpException(
        `A path parameter is longer than ${MAX_PATH_PARAM_LENGTH} characters.`,
        HttpStatus.URI_TOO_LONG,
      );
    default:
      return error; // unknown: a bare 500 INTERNAL, logged with the error
  }
}
