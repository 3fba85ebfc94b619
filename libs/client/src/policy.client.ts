import { ActionType } from './action-type';
import type { CallOptions, SafetyClientOptions } from './client.options';
import type { ExecuteCodeContext, PolicyContext, PolicyDecision } from './client.types';
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

/** PolicyGate over HTTP (`POST /api/v1/safety/check`): may the agent do this? */
export class PolicyClient {
  private readonly http: SafetyHttp;

  constructor(baseUrl?: string, options?: SafetyClientOptions) {
    this.http = new SafetyHttp(baseUrl, options);
  }

  /**
   * The decision for `action` with its `context`. A deny is a normal answer (`allowed: false`),
   * not an error. Retried on transient failures: a check changes nothing but the decision log.
   */
  check(action: ActionType, context: PolicyContext, options?: CallOptions): Promise<PolicyDecision> {
    return this.http.send(
      'POST /api/v1/safety/check',
      (init) => this.http.api.POST('/api/v1/safety/check', { body: { action, context }, ...init }),
      { retrySafe: true, call: options },
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

  /** The decision when it is `allow`; otherwise throws PolicyBlockedError (`Action blocked by policy: <reason>`). */
  async checkAndEnforce(action: ActionType, context: PolicyContext, options?: CallOptions): Promise<PolicyDecision> {
    const result = await this.check(action, context, options);
    if (!result.allowed) throw new PolicyBlockedError(result);
    return result;
  }
}
