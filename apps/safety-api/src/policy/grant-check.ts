import type { ApprovalsService } from '@app/approvals';
import type { PolicyDecision } from '@app/policy';
import type { Principal } from '../auth/principal';
import type { PolicyDecisionDto } from './dto/policy-decision.dto';

/**
 * A decision with an approval grant applied: only an `approval` decision can become `allow`, and
 * only by consuming a matching grant (atomically: one of any number of concurrent uses wins). A deny
 * stays a deny, untouched; an allow needs no grant, which stays unused.
 */
export async function applyGrant(
  approvals: ApprovalsService,
  decision: PolicyDecision,
  approvalId: string,
  use: { principal: Principal; context: Record<string, unknown> },
): Promise<PolicyDecisionDto> {
  if (decision.decision === 'allow') return decision;
  if (decision.decision === 'deny') return { ...decision, approval_error: 'APPROVAL_NOT_APPLICABLE' };
  const runId = typeof use.context.run_id === 'string' ? use.context.run_id : null;
  const result = await approvals.redeem(approvalId, {
    tenant: use.principal.tenant,
    action: decision.action,
    context: use.context,
    runId,
    by: use.principal.keyId,
  });
  if (!result.ok) return { ...decision, approval_error: result.error };
  return {
    ...decision,
    allowed: true,
    decision: 'allow',
    requires_approval: false,
    reason: `Approved by ${approvedBy(result.approval).join(', ')} (${approvalId}): ${decision.reason}`,
    approval_id: approvalId,
    approved_by: approvedBy(result.approval),
  };
}

function approvedBy(approval: { decisions: Array<{ by: string; decision: string }> }): string[] {
  return approval.decisions.filter((d) => d.decision === 'approve').map((d) => d.by);
}
