import { ActionType } from './action-type';
import type { CallOptions, SafetyClientOptions } from './client.options';
import type { Approval, ExecuteCodeContext, PolicyContext, PolicyDecision } from './client.types';
import { ApprovalsClient } from './approvals.client';
import { SafetyHttp } from './http/safety-http';

/**
 * Thrown by `checkAndEnforce` when the decision is not `allow` (a deny, or an action that
 * needs human approval first). The whole decision is attached.
 */
export class PolicyBlockedError extends Error {
  constructor(readonly decision: PolicyDecision) {
    super(`Action blocked by policy: ${decision.reason}`);
    this.name = 'PolicyBlockedError';
  }

  /** True when a human may still approve the action (`decision: "approval"`), false for a deny. */
  get requiresApproval(): boolean {
    return this.decision.requires_approval;
  }
}

export interface EnforceOptions extends CallOptions {
  /** The run the action belongs to (an approval is then bound to it). */
  runId?: string;
  /** Why, for the human asked to approve. */
  justification?: string;
  /**
   * On `approval`: ask a human, wait up to `timeoutMs` for the decision, then use the grant once.
   * `onRequested` is told of the pending approval (to show its id to whoever decides).
   */
  waitForApproval?: { timeoutMs: number; onRequested?: (approval: Approval) => void };
}

/** PolicyGate over HTTP (`POST /api/v1/safety/check`): may the agent do this? */
export class PolicyClient {
  private readonly http: SafetyHttp;
  private readonly approvals: ApprovalsClient;

  constructor(baseUrl?: string, options?: SafetyClientOptions) {
    this.http = new SafetyHttp(baseUrl, options);
    this.approvals = new ApprovalsClient(baseUrl, options);
  }

  /**
   * The decision for `action` with its `context`. A deny is a normal answer (`allowed: false`),
   * not an error. Retried on transient failures: a check changes nothing but the decision log.
   */
  check(
    action: ActionType,
    context: PolicyContext,
    options?: CallOptions & { approvalId?: string },
  ): Promise<PolicyDecision> {
    const body = { action, context, approval_id: options?.approvalId };
    // A check with a grant consumes it: retrying could find it already used by the first attempt.
    return this.http.send(
      'POST /api/v1/safety/check',
      (init) => this.http.api.POST('/api/v1/safety/check', { body, ...init }),
      { retrySafe: options?.approvalId === undefined, call: options },
    );
  }

  /** The decision for running a shell command (`execute_code`), judged by what bash would really run. */
  checkCodeExecution(
    command: string,
    context: Omit<ExecuteCodeContext, 'command'> = {},
    options?: CallOptions,
  ): Promise<PolicyDecision> {
    return this.check(ActionType.EXECUTE_CODE, { ...context, command }, options);
  }

  /**
   * The decision when it is `allow`; otherwise throws PolicyBlockedError (`Action blocked by policy: <reason>`).
   * With `waitForApproval`, an `approval` decision asks a human and waits: approved → the action is
   * checked again with the grant (consumed) and allowed; otherwise ApprovalRejectedError,
   * ApprovalExpiredError or ApprovalTimeoutError.
   */
  async checkAndEnforce(
    action: ActionType,
    context: PolicyContext,
    options: EnforceOptions = {},
  ): Promise<PolicyDecision> {
    const judged = { ...context, ...(options.runId ? { run_id: options.runId } : {}) };
    const result = await this.check(action, judged, options);
    if (result.allowed) return result;
    if (result.decision !== 'approval' || !options.waitForApproval) throw new PolicyBlockedError(result);
    const grant = await this.approvals.obtainGrant(action, context, {
      ...options,
      timeoutMs: options.waitForApproval.timeoutMs,
      onRequested: options.waitForApproval.onRequested,
    });
    const granted = await this.check(action, judged, { ...options, approvalId: grant.approval_id });
    if (!granted.allowed) throw new PolicyBlockedError(granted);
    return granted;
  }
}
