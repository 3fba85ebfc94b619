import type { SandboxPolicyTrace } from './sandbox-policy.port';

export type SandboxGrantResult = { ok: true; approvedBy: string[] } | { ok: false; error: string };

/**
 * Uses a human's approval for a command the policy sends to approval: the service wires its
 * approvals here. A grant is consumed when it is used, so the command runs once per approval.
 */
export abstract class SandboxGrants {
  abstract redeem(
    approvalId: string,
    command: string,
    runId: string,
    trace?: SandboxPolicyTrace,
  ): Promise<SandboxGrantResult>;
}
