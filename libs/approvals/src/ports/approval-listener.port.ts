import type { ApprovalEvent } from '../approvals.types';

/**
 * Told of every approval event (requested, each decision, approved, rejected, cancelled, expired,
 * consumed) once, by the replica that caused it. The service wires the audit trail, metrics and
 * the webhook through it. A listener that throws is logged; it never fails the caller.
 */
export abstract class ApprovalListener {
  abstract onEvent(event: ApprovalEvent): void | Promise<void>;
}
