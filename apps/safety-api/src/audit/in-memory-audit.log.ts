import { AuditLog } from './audit-log.port';
import type { AuditEvent, NewAuditEvent } from './audit.types';

/** The embedded store's audit trail: per-run ring buffers in process memory. */
export class InMemoryAuditLog extends AuditLog {
  private readonly runs = new Map<string, AuditEvent[]>();
  private sequence = 0;

  constructor(private readonly maxEventsPerRun: number) {
    super();
  }

  async append(event: NewAuditEvent): Promise<void> {
    const events = this.runs.get(event.run_id) ?? [];
    events.push({ ...event, id: `${Date.now()}-${this.sequence++}` });
    if (events.length > this.maxEventsPerRun) events.splice(0, events.length - this.maxEventsPerRun);
    this.runs.set(event.run_id, events);
  }

  async list(runId: string, limit: number): Promise<AuditEvent[]> {
    return (this.runs.get(runId) ?? []).slice(-limit);
  }
}
