/** One entry of a run's audit trail. Append-only; redacted before it is stored or logged. */
export interface AuditEvent {
  /** Stream entry id (Redis) or a monotonic id (embedded store). */
  id: string;
  /** e.g. `policy.decision`, `budget.spend`, `sandbox.execution`. */
  type: string;
  run_id: string;
  /** The tenant the run belongs to (the trail is stored under it). */
  tenant: string;
  /** The principal whose call this was (the keys file's id; `anonymous` when authentication is off). */
  key_id: string;
  /** Set when an admin acted in another tenant (X-Safety-Tenant): the admin's own tenant. */
  acting_from_tenant?: string;
  /** ISO-8601 time the event was recorded. */
  at: string;
  request_id: string;
  /** `ok`, or the problem code the call ended with. */
  outcome: string;
  /** Event-specific fields (decision, amounts, exit code...). Never secrets, never command output. */
  data: Record<string, unknown>;
}

export type NewAuditEvent = Omit<AuditEvent, 'id'>;
