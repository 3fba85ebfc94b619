import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Observable, catchError, tap, throwError } from 'rxjs';
import { MetricsService } from '../metrics/metrics.service';
import { AuditService } from './audit.service';
import { DOMAIN_EVENT_ROUTES, DomainEventRoute } from './domain-events';

type Body = Record<string, unknown>;

/** Feeds the audit trail and the domain metrics from the outcome of each audited route. */
@Injectable()
export class DomainEventsInterceptor implements NestInterceptor {
  constructor(
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const route = DOMAIN_EVENT_ROUTES[`${request.method} ${request.routeOptions?.url}`];
    if (!route) return next.handle();
    const body = (request.body ?? {}) as Body;
    return next.handle().pipe(
      tap((response: unknown) => this.observe(route, request, body, 'ok', (response ?? {}) as Body)),
      catchError((error: unknown) => {
        this.observe(route, request, body, errorCode(error), undefined);
        return throwError(() => error);
      }),
    );
  }

  private observe(route: DomainEventRoute, request: FastifyRequest, body: Body, outcome: string, response: Body | undefined): void {
    route.metrics?.(this.metrics, outcome, body, response);
    const runId = runIdOf(body, response);
    if (!route.type || !runId) return;
    void this.audit.record({
      type: route.type,
      run_id: runId,
      at: new Date().toISOString(),
      request_id: String(request.id),
      outcome,
      data: route.data && response ? route.data(body, response) : {},
    });
  }
}

function runIdOf(body: Body, response: Body | undefined): string | undefined {
  const context = (body.context ?? {}) as Body;
  const candidate = response?.run_id ?? body.run_id ?? context.run_id;
  return typeof candidate === 'string' && candidate.length > 0 ? candidate : undefined;
}

function errorCode(error: unknown): string {
  const code = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' ? code : 'ERROR';
}
