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

/** Where a store that writes a run's events itself (the budget ledger's journal) files them for this log. */
export interface RunStream {
  key: string;
  maxLen: number;
  ttlMs: number;
}

/** Where audit events are kept. Implementations bound retention per run. */
export abstract class AuditLog {
  /**
   * Files the event under its tenant's run: `runId`, the id as the caller sent it (the event's own
   * `run_id` may be redacted), by default `event.run_id`.
   */
  abstract append(event: NewAuditEvent, runId?: string): Promise<void>;
  /**
   * The run's stream, for another writer on the same Redis to append events in this log's format
   * (undefined: this log has no such stream, and every event goes through `append`).
   */
  abstract streamOf(tenant: string, runId: string): RunStream | undefined;
  /** Records activity on the run for `listRuns`, for events filed by another writer. */
  abstract touchRun(tenant: string, runId: string): Promise<void>;
  /** Oldest first, at most `limit` of the most recent events of the tenant's run. */
  abstract list(tenant: string, runId: string, limit: number): Promise<AuditEvent[]>;
  /** The tenant's runs with a trail, most recently active first; `cursor` is the previous page's `nextCursor`. */
  abstract listRuns(tenant: string, limit: number, cursor?: string): Promise<RunPage>;
}
