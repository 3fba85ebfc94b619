import { RUN_ID_PATTERN, type LedgerJournal } from '@app/budget';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import type { MetricsService } from '../metrics/metrics.service';
import type { AuditService } from './audit.service';
import { DOMAIN_EVENT_ROUTES, DomainEventRoute } from './domain-events';

type Body = Record<string, unknown>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The journal the budget ledger files this call's audit event with (see `journalFor`). */
    auditJournal?: LedgerJournal;
  }
}

/**
 * Feeds the audit trail and the domain metrics from the outcome of each audited
 * route. A Fastify preSerialization hook sees every response object, success or
 * problem+json, before it is written, so one place observes both outcomes
 * without a Nest interceptor (an rxjs pipeline and async-context binding per
 * request on every route). A failure's outcome is the problem's `code`.
 *
 * Only calls that were authenticated and authorised write to a run's trail: a refused call (no or
 * bad key, role too low, rate limited) would otherwise let anyone fill a run's bounded trail and
 * push the real events out. Refused calls are still counted (HTTP metrics) and logged (request log).
 */
export function registerDomainEvents(fastify: FastifyInstance, audit: AuditService, metrics: MetricsService): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const route = DOMAIN_EVENT_ROUTES[`${request.method} ${request.routeOptions?.url}`];
    const principal = request.principal;
    if (route && principal) {
      const response = (payload ?? {}) as Body;
      const ok = reply.statusCode < 400;
      const outcome = ok ? 'ok' : typeof response.code === 'string' ? response.code : 'ERROR';
      if (!REFUSED.has(outcome)) {
        observe(
          route,
          request,
          principal,
          audit,
          metrics,
          outcome,
          ok ? response : undefined,
          ok ? undefined : response,
        );
      }
    }
    done(null, payload);
  });
}

/** Outcomes of calls refused before they could act (the authentication hook never lets 401 through with a principal). */
const REFUSED = new Set(['FORBIDDEN_ROLE', 'RATE_LIMITED']);

function observe(
  route: DomainEventRoute,
  request: FastifyRequest,
  principal: Principal,
  audit: AuditService,
  metrics: MetricsService,
  outcome: string,
  response: Body | undefined,
  problem: Body | undefined,
): void {
  const body = (request.body ?? {}) as Body;
  route.metrics?.(metrics, outcome, body, response);
  const runId = runIdOf(body, response);
  if (!route.type || !runId) return;
  const type = route.type;
  const journal = request.auditJournal;
  const event = () => ({
    ...eventHead(type, request, principal, runId),
    ...(journal ? { at: String(journal.head.at) } : {}),
    outcome,
    data: response ? (route.data?.(body, response) ?? {}) : (route.failureData?.(body, problem ?? {}) ?? {}),
  });
  // Filed by the ledger in the spend's own script call: only logged here.
  void (journal?.filed ? audit.recordFiled(principal.tenant, runId, event) : audit.record(event()));
}

/**
 * For routes whose store files their event itself (`journalData`), the journal to hand it: the event
 * but its outcome, built before the call. The hook then logs what the store filed instead of appending
 * it again; should the store not file it (unreachable, or no journal support), the hook appends it.
 */
export function journalFor(request: FastifyRequest, audit: AuditService): LedgerJournal | undefined {
  const route = DOMAIN_EVENT_ROUTES[`${request.method} ${request.routeOptions?.url}`];
  const principal = request.principal;
  const body = (request.body ?? {}) as Body;
  const runId = runIdOf(body, undefined);
  if (!route?.type || !route.journalData || !principal || !runId) return undefined;
  request.auditJournal = audit.journal(eventHead(route.type, request, principal, runId), route.journalData(body));
  return request.auditJournal;
}

function eventHead(type: string, request: FastifyRequest, principal: Principal, runId: string) {
  return {
    type,
    run_id: runId,
    tenant: principal.tenant,
    key_id: principal.keyId,
    ...(principal.tenant === principal.homeTenant ? {} : { acting_from_tenant: principal.homeTenant }),
    at: new Date().toISOString(),
    request_id: String(request.id),
  };
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
