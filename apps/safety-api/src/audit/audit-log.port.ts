import type { AuditEvent, NewAuditEvent } from './audit.types';

/** A run of a tenant and when its trail last changed. */
export interface RunActivity {
  runId: string;
  lastActivityMs: number;
}

export interface RunPage {
  runs: RunActivity[];
  nextCursor: string | null;
}

/** Where audit events are kept. Implementations bound retention per run. */
export abstract class AuditLog {
  /** Files the event under its tenant's run (`event.tenant`, `event.run_id`). */
  abstract append(event: NewAuditEvent): Promise<void>;
  /** Oldest first, at most `limit` of the most recent events of the tenant's run. */
  abstract list(tenant: string, runId: string, limit: number): Promise<AuditEvent[]>;
  /** The tenant's runs with a trail, most recently active first; `cursor` is the previous page's `nextCursor`. */
  abstract listRuns(tenant: string, limit: number, cursor?: string): Promise<RunPage>;
}
