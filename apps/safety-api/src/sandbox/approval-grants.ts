import type { ApprovalsService } from '@app/approvals';
import { unscopedRunId } from '@app/budget';
import { SandboxGrants, type SandboxGrantResult, type SandboxPolicyTrace } from '@app/sandbox';
import { tenantOf } from '../auth/tenant-run';

/**
 * The sandbox's grants are the service's approvals. A sandboxed command is approved as
 * `execute_code` with context `{ "command": <command> }`, in the tenant and run the execution
 * belongs to (what an agent asks for with POST /approvals).
 */
export class ApprovalSandboxGrants extends SandboxGrants {
  constructor(private readonly approvals: ApprovalsService) {
    super();
  }

  async redeem(
    approvalId: string,
    command: string,
    runId: string,
    trace?: SandboxPolicyTrace,
  ): Promise<SandboxGrantResult> {
    const result = await this.approvals.redeem(approvalId, {
      tenant: tenantOf(runId),
      action: 'execute_code',
      context: { command },
      runId: unscopedRunId(runId),
      by: trace?.keyId ?? 'anonymous',
    });
    if (!result.ok) return { ok: false, error: result.error };
    return { ok: true, approvedBy: result.approval.decisions.filter((d) => d.decision === 'approve').map((d) => d.by) };
  }
}
