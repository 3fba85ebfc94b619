import { tenantRunId } from '../auth/tenant-run';
import { AuditLog, type RunPage } from './audit-log.port';
import type { AuditEvent, NewAuditEvent } from './audit.types';

interface RunTrail {
  tenant: string;
  runId: string;
  events: AuditEvent[];
  lastWriteMs: number;
  expiresAtMs: number;
}

/**
 * The embedded store's audit trail, in process memory, with the Redis stream's bounds: at most
 * `maxEventsPerRun` events per run (oldest dropped first), and a run forgotten `ttlSeconds` after its
 * last event. Without the expiry every run id ever seen would stay in memory.
 */
export class InMemoryAuditLog extends AuditLog {
  /** Ordered by last write (a written run moves to the end), so expired runs are always at the front. */
  private readonly runs = new Map<string, RunTrail>();
  private sequence = 0;

  constructor(
    private readonly maxEventsPerRun: number,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** No other writer shares this process's memory: every event comes through `append`. */
  streamOf(): undefined {
    return undefined;
  }

  async touchRun(): Promise<void> {}

  async append(event: NewAuditEvent, runId = event.run_id): Promise<void> {
    const now = this.now();
    this.forgetExpired(now);
    const key = tenantRunId(event.tenant, runId);
    const events = this.runs.get(key)?.events ?? [];
    events.push({ ...event, id: `${now}-${this.sequence++}` });
    if (events.length > this.maxEventsPerRun) events.splice(0, events.length - this.maxEventsPerRun);
    this.runs.delete(key);
    this.runs.set(key, {
      tenant: event.tenant,
      runId,
      events,
      lastWriteMs: now,
      expiresAtMs: now + this.ttlSeconds * 1000,
    });
  }

  async listRuns(tenant: string, limit: number, cursor?: string): Promise<RunPage> {
    const now = this.now();
    this.forgetExpired(now);
    // `runs` is ordered by last write, oldest first.
    const mine = [...this.runs.values()].filter((trail) => trail.tenant === tenant).reverse();
    const offset = cursor === undefined ? 0 : Number(cursor);
    return {
      runs: mine
        .slice(offset, offset + limit)
        .map((trail) => ({ runId: trail.runId, lastActivityMs: trail.lastWriteMs })),
      nextCursor: offset + limit < mine.length ? String(offset + limit) : null,
    };
  }

  async list(tenant: string, runId: string, limit: number): Promise<AuditEvent[]> {
    this.forgetExpired(this.now());
    return (this.runs.get(tenantRunId(tenant, runId))?.events ?? []).slice(-limit);
  }

  private forgetExpired(now: number): void {
    for (const [runId, trail] of this.runs) {
      if (trail.expiresAtMs > now) return;
      this.runs.delete(runId);
    }
  }
}
