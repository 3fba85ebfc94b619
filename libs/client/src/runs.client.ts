import type { CallOptions, SafetyClientOptions } from './client.options';
import type { AuditTrail, RunList } from './client.types';
import { SafetyHttp } from './http/safety-http';

/** A tenant's runs and their audit trails (operator role): what the operator console shows. */
export class RunsClient {
  private readonly http: SafetyHttp;

  constructor(baseUrl?: string, options?: SafetyClientOptions) {
    this.http = new SafetyHttp(baseUrl, options);
  }

  /** Most recently active first, each with its budget summary (null when it has none). */
  list(page: { limit?: number; cursor?: string } = {}, options?: CallOptions): Promise<RunList> {
    return this.http.send(
      'GET /api/v1/safety/runs',
      (init) => this.http.api.GET('/api/v1/safety/runs', { params: { query: page }, ...init }),
      { retrySafe: true, call: options },
    );
  }

  /** The run's most recent audit events, oldest first; AuditTrailNotFoundError when it has none. */
  auditTrail(runId: string, limit?: number, options?: CallOptions): Promise<AuditTrail> {
    return this.http.send(
      'GET /api/v1/safety/audit/{run_id}',
      (init) =>
        this.http.api.GET('/api/v1/safety/audit/{run_id}', {
          params: { path: { run_id: runId }, query: { limit } },
          ...init,
        }),
      { retrySafe: true, call: options },
    );
  }
}
