import { ArgumentsHost, Catch, ExceptionFilter, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/**
 * Probes keep terminus' own body (`{ status, info, error, details }`): it is
 * what Kubernetes tooling and dashboards expect, so health is the one place
 * that does not answer problem+json.
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFilter implements ExceptionFilter {
  catch(error: ServiceUnavailableException, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(503).send(error.getResponse());
  }
}
