import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { sendProblem } from './send-problem';

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Global filter: every error thrown inside Nest, or by Fastify before a handler, leaves as problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(this.explained(this.asMethodNotAllowed(error, request, reply), request), request, reply, this.logger);
  }

  /**
   * Fastify's own 413 and 415 say neither the limit nor what to send; the problem says both. Domain
   * errors (an upload or a text over its own limit) carry their own code and are left as they are.
   */
  private explained(error: unknown, request: FastifyRequest): unknown {
    if (!(error instanceof HttpException)) return error;
    const response = error.getResponse();
    if (typeof response === 'object' && response !== null && 'code' in response) return error;
    if (error.getStatus() === 413) {
      const limit = request.routeOptions?.bodyLimit;
      return new PayloadTooLargeException(
        limit
          ? `The request body is larger than the limit of ${limit} bytes (BODY_LIMIT_BYTES).`
          : 'The request body is larger than the limit (BODY_LIMIT_BYTES).',
      );
    }
    if (error.getStatus() === 415) {
      return new UnsupportedMediaTypeException('Send the body as JSON, with Content-Type: application/json.');
    }
    return error;
  }

  /**
   * Nest answers an unmatched method with 404. When the same path exists under
   * another method (static routes, where the router can tell) the honest answer
   * is 405 with an Allow header.
   */
  private asMethodNotAllowed(error: unknown, request: FastifyRequest, reply: FastifyReply): unknown {
    if (!(error instanceof NotFoundException) || request.routeOptions?.url) return error;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const url = request.url.split('?')[0];
    const allowed = METHODS.filter((method) => fastify.hasRoute({ method, url }));
    if (allowed.length === 0) return error;
    void reply.header('allow', allowed.join(', '));
    return new MethodNotAllowedException(`${request.method} is not allowed on ${url}; use ${allowed.join(' or ')}.`);
  }
}
