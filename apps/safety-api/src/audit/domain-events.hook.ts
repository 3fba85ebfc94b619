import { RUN_ID_PATTERN } from '@app/budget';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetricsService } from '../metrics/metrics.service';
import type { AuditService } from './audit.service';
import { DOMAIN_EVENT_ROUTES, DomainEventRoute } from './domain-events';

type Body = Record<string, unknown>;

/**
 * Feeds the audit trail and the domain metrics from the outcome of each audited
 * route. A Fastify preSerialization hook sees every response object, success or
 * problem+json, before it is written, so one place observes both outcomes
 * without a Nest interceptor (an rxjs pipeline and async-context binding per
 * request on every route). A failure's outcome is the problem's `code`.
 */
export function registerDomainEvents(fastify: FastifyInstance, audit: AuditService, metrics: MetricsService): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const route = DOMAIN_EVENT_ROUTES[`${request.method} ${request.routeOptions?.url}`];
    if (route) {
      const response = (payload ?? {}) as Body;
      const ok = reply.statusCode < 400;
      const outcome = ok ? 'ok' : typeof response.code === 'string' ? response.code : 'ERROR';
      observe(route, request, audit, metrics, outcome, ok ? response : undefined);
    }
    done(null, payload);
  });
}

function observe(
  route: DomainEventRoute,
  request: FastifyRequest,
  audit: AuditService,
  metrics: MetricsService,
  outcome: string,
  response: Body | undefined,
): void {
  const body = (request.body ?? {}) as Body;
  route.metrics?.(metrics, outcome, body, response);
  const runId = runIdOf(body, response);
  if (!route.type || !runId) return;
  void audit.record({
    type: route.type,
    run_id: runId,
    at: new Date().toISOString(),
    request_id: String(request.id),
    outcome,
    data: route.data && response ? route.data(body, response) : {},
  });
}

/**
 * The run an event is filed under. Only a valid run id names a run: the id becomes a Redis key, and
 * a failed call's body (or `/check`'s free-form context) may hold any string up to the body limit.
 * An event without one has no trail; a policy decision is still in PolicyGate's decision log.
 */
function runIdOf(body: Body, response: Body | undefined): string | undefined {
  const context = (body.context ?? {}) as Body;
  const candidate = response?.run_id ?? body.run_id ?? context.run_id;
  return typeof candidate === 'string' && RUN_ID_PATTERN.test(candidate) ? candidate : undefined;
}
