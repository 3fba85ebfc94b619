import { VersioningType } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiKeyDirectory } from './auth/api-key-directory';
import { AuthFailureThrottle } from './auth/auth-failure.throttle';
import { registerAuthentication } from './auth/authenticate.hook';
import { registerDomainEvents } from './audit/domain-events.hook';
import { AuditService } from './audit/audit.service';
import { parseJsonBody } from './common/problem/json-body.parser';
import { REQUEST_ID_HEADER, requestIdFor } from './common/request-id/request-id';
import type { Environment } from './config/environment';
import { MAX_PATH_PARAM_LENGTH, sendRoutingProblem } from './common/problem/routing-problems';
import { PinoNestLogger } from './logging/pino-nest.logger';
import { registerRequestLogging } from './logging/request-logging.hook';
import { ROOT_LOGGER } from './logging/root-logger';
import { registerHttpMetrics } from './metrics/http-metrics.hook';
import { MetricsService } from './metrics/metrics.service';
import { setupOpenApi } from './openapi/openapi.setup';
import { setupConsole } from './console/console.setup';

/** The Fastify adapter with our request-id and body-limit policy. */
export function createFastifyAdapter(env: Environment): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT_BYTES,
    genReqId: requestIdFor,
    requestIdHeader: false,
    // Requests are logged once, by our onResponse hook (registerRequestLogging).
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // No Nest middleware anywhere (per-request work is Fastify hooks), so @fastify/middie
    // and its per-request hook are not registered at all.
    skipMiddie: true,
    // Path parameters up to this many characters reach the handlers, which validate them (run ids
    // take up to 128). Fastify's default of 100 would answer 414 to valid ids.
    // (A router option: Fastify 5 deprecates it at the top level, FSTDEP022.)
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    frameworkErrors: sendRoutingProblem,
  });
}

/**
 * Everything the app needs beyond its modules, shared by main.ts and the
 * e2e tests so both run the same stack: prefix and versioning, our JSON body
 * parser, request ids, OpenAPI. Errors Fastify raises before a handler runs
 * (body parsing, limits, 404) reach the global ProblemFilter through Nest's
 * own Fastify error handler.
 */
export async function configureApp(app: NestFastifyApplication, env: Environment): Promise<void> {
  app.useLogger(app.get(PinoNestLogger));
  // Nest flushes buffered boot logs only on listen(); tests and the OpenAPI writer never listen.
  app.flushLogs();
  app.setGlobalPrefix('api', { exclude: ['health/live', 'health/ready', 'metrics', '.well-known/jwks.json'] });
  app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });

  const fastify = app.getHttpAdapter().getInstance();
  // Cross-cutting per-request work runs as Fastify hooks, not Nest interceptors or
  // middleware: the same behaviour for a fraction of the cost per request (see BENCHMARKS.md).
  registerHttpMetrics(fastify, app.get(MetricsService));
  registerRequestLogging(fastify, app.get(ROOT_LOGGER));
  registerDomainEvents(fastify, app.get(AuditService), app.get(MetricsService));
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, String(request.id));
    done();
  });
  // After the request id, so a refused call's problem carries it too.
  registerAuthentication(fastify, app.get(ApiKeyDirectory), app.get(AuthFailureThrottle), app.get(PinoNestLogger));
  // JSON is the only body we read; anything else is refused (415) rather than guessed at.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: env.BODY_LIMIT_BYTES },
    parseJsonBody,
  );

  if (env.CONSOLE_ENABLED) await setupConsole(app);
  // With METRICS_PORT the docs are served on that port instead (main.ts, metrics-server.ts).
  if (env.SWAGGER_ENABLED && env.METRICS_PORT === undefined) await setupOpenApi(app);
}
