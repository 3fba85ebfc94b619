import type { AuditEvent, NewAuditEvent } from './audit.types';

/** Where audit events are kept. Implementations bound retention per run. */
export abstract class AuditLog {
  /** Files the event under its tenant's run (`event.tenant`, `event.run_id`). */
  abstract append(event: NewAuditEvent): Promise<void>;
  /** Oldest first, at most `limit` of the most recent events of the tenant's run. */
  abstract list(tenant: string, runId: string, limit: number): Promise<AuditEvent[]>;
}
