/** One entry of a run's audit trail. Append-only; redacted before it is stored or logged. */
export interface AuditEvent {
  /** Stream entry id (Redis) or a monotonic id (embedded store). */
  id: string;
  /** e.g. `policy.decision`, `budget.spend`, `sandbox.execution`. */
  type: string;
  run_id: string;
  /** ISO-8601 time the event was recorded. */
  at: string;
  request_id: string;
  /** `ok`, or the problem code the call ended with. */
  outcome: string;
  /** Event-specific fields (decision, amounts, exit code...). Never secrets, never command output. */
  data: Record<string, unknown>;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;
