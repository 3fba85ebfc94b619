import { ApprovalListener, type ApprovalEvent } from '@app/approvals';
import type { AuditService } from '../audit/audit.service';
import type { MetricsService } from '../metrics/metrics.service';

/** Approval events into the run's audit trail (approvals without a run have none; the log line remains). */
export class AuditApprovalListener extends ApprovalListener {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async onEvent({ type, approval, by, at }: ApprovalEvent): Promise<void> {
    if (!approval.run_id) return;
    const last = approval.decisions.at(-1);
    await this.audit.record({
      type,
      run_id: approval.run_id,
      tenant: approval.tenant,
      key_id: by ?? 'system',
      at,
      request_id: approval.approval_id,
      outcome: approval.status,
      data: {
        approval_id: approval.approval_id,
        action: approval.action,
        action_digest: approval.action_digest,
        requested_by: approval.requested_by,
        required_approvals: approval.required_approvals,
        ...(type === 'approval.approved' || type === 'approval.rejected' || type === 'approval.decision'
          ? { decision: last?.decision, comment: last?.comment }
          : {}),
      },
    });
  }
}

/** Pending gauge, outcomes counter and time-to-decision histogram. */
export class MetricsApprovalListener extends ApprovalListener {
  constructor(private readonly metrics: MetricsService) {
    super();
  }

  onEvent({ type, approval, at }: ApprovalEvent): void {
    if (type === 'approval.decision') return;
    const outcome = type.slice('approval.'.length);
    this.metrics.approvalOutcomes.inc({ outcome });
    if (type === 'approval.requested') this.metrics.approvalsPending.inc();
    const leftPending =
      type === 'approval.approved' ||
      type === 'approval.rejected' ||
      type === 'approval.cancelled' ||
      (type === 'approval.expired' && approval.decided_at === null);
    if (leftPending) this.metrics.approvalsPending.dec();
    if (type === 'approval.approved' || type === 'approval.rejected') {
      this.metrics.approvalDecisionSeconds.observe((Date.parse(at) - Date.parse(approval.created_at)) / 1000);
    }
  }
}
