import type { AuditEvent, NewAuditEvent } from './audit.types';

/** Where audit events are kept. Implementations bound retention per run. */
export abstract class AuditLog {
  abstract append(event: NewAuditEvent): Promise<void>;
  /** Oldest first, at most `limit` of the most recent events. */
  abstract list(runId: string, limit: number): Promise<AuditEvent[]>;
}
