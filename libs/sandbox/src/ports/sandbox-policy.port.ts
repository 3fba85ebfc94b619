/** The parts of a PolicyGate decision the sandbox acts on and passes back to callers. */
export interface SandboxPolicyDecision {
  allowed: boolean;
  decision: 'allow' | 'deny' | 'approval';
  requires_approval: boolean;
  reason: string;
  decision_id: string;
  /** The rules that decided (PolicyGate gives them; they travel in a refusal's problem). */
  rule_ids?: string[];
}

/** Who asked, passed through to the decision's log line (PolicyGate's DecisionTrace). */
export interface SandboxPolicyTrace {
  requestId?: string;
  keyId?: string;
  tenant?: string;
}

/**
 * Judges commands (`execute_code`) and hosts (`network_access`) before the
 * sandbox acts. `PolicyGate` from @app/policy satisfies it as is.
 */
export abstract class SandboxPolicy {
  abstract check(
    action: 'execute_code' | 'network_access',
    context: Record<string, unknown>,
    trace?: SandboxPolicyTrace,
  ): Promise<SandboxPolicyDecision>;
}
