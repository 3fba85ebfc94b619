import type { ActionType } from './action-type';
import type { CallOptions, SafetyClientOptions } from './client.options';
import type { Approval, ApprovalList, ApprovalStatus, ApprovalVerdict, PolicyContext } from './client.types';
import { SafetyHttp } from './http/safety-http';

/** A wait for a human ended without a usable grant; the approval as it stood is attached. */
export class ApprovalWaitError extends Error {
  constructor(
    message: string,
    readonly approval: Approval,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
/** A human rejected the approval, or its requester cancelled it. */
export class ApprovalRejectedError extends ApprovalWaitError {}
/** The request (or the unused grant) expired before it could be used. */
export class ApprovalExpiredError extends ApprovalWaitError {}
/** Nobody decided within the wait; the approval is still pending and may be decided later. */
export class ApprovalTimeoutError extends ApprovalWaitError {}

export interface RequestApprovalOptions extends CallOptions {
  /** The run the action belongs to: the grant can then only be used by a call naming this run. */
  runId?: string;
  /** Why, for the approver. */
  justification?: string;
}

export interface WaitOptions {
  /** How long to wait in all (long-polls of up to 60 s each until then). */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The server holds each long-poll for up to this long. */
const MAX_WAIT_SECONDS = 60;

/** Human approvals over HTTP: request, get, wait, list, decide, cancel. */
export class ApprovalsClient {
  private readonly http: SafetyHttp;

  constructor(baseUrl?: string, options?: SafetyClientOptions) {
    this.http = new SafetyHttp(baseUrl, options);
  }

  /**
   * Asks a human to approve `action` with `context`. Returns the new pending approval, or the one this
   * key already asked for (pending or approved and unused). Throws ApprovalNotNeededError when the
   * policy allows the action and PolicyDeniedError when it denies it.
   */
  request(action: ActionType, context: PolicyContext, options: RequestApprovalOptions = {}): Promise<Approval> {
    const body = { action, context, run_id: options.runId, justification: options.justification };
    // Retry-safe: asking again for the same action and run returns the same approval.
    return this.http.send(
      'POST /api/v1/safety/approvals',
      (init) => this.http.api.POST('/api/v1/safety/approvals', { body, ...init }),
      { retrySafe: true, call: options },
    );
  }

  get(approvalId: string, options?: CallOptions): Promise<Approval> {
    return this.poll(approvalId, 0, options);
  }

  /**
   * Waits until the approval leaves `pending` or `timeoutMs` passes, then returns it as it is (the
   * caller reads `status`). Each request is a server long-poll, so a decision is seen at once.
   */
  async wait(approvalId: string, options: WaitOptions): Promise<Approval> {
    const deadline = Date.now() + options.timeoutMs;
    let approval = await this.get(approvalId, { signal: options.signal });
    while (approval.status === 'pending') {
      const left = deadline - Date.now();
      if (left <= 0) break;
      const waitSeconds = Math.max(1, Math.min(MAX_WAIT_SECONDS, Math.ceil(left / 1000)));
      approval = await this.poll(approvalId, waitSeconds, {
        signal: options.signal,
        timeoutMs: waitSeconds * 1000 + 10_000,
      });
    }
    return approval;
  }

  list(
    filter: { status?: ApprovalStatus; runId?: string; limit?: number; cursor?: string } = {},
    options?: CallOptions,
  ): Promise<ApprovalList> {
    const query = { status: filter.status, run_id: filter.runId, limit: filter.limit, cursor: filter.cursor };
    return this.http.send(
      'GET /api/v1/safety/approvals',
      (init) => this.http.api.GET('/api/v1/safety/approvals', { params: { query }, ...init }),
      { retrySafe: true, call: options },
    );
  }

  /** Approve or reject (operator or admin). Not retried: a second decision by the same approver is a 409. */
  decide(approvalId: string, decision: ApprovalVerdict, comment?: string, options?: CallOptions): Promise<Approval> {
    return this.http.send(
      'POST /api/v1/safety/approvals/{id}/decision',
      (init) =>
        this.http.api.POST('/api/v1/safety/approvals/{id}/decision', {
          params: { path: { id: approvalId } },
          body: { decision, comment },
          ...init,
        }),
      { retrySafe: false, call: options },
    );
  }

  cancel(approvalId: string, options?: CallOptions): Promise<Approval> {
    return this.http.send(
      'POST /api/v1/safety/approvals/{id}/cancel',
      (init) =>
        this.http.api.POST('/api/v1/safety/approvals/{id}/cancel', { params: { path: { id: approvalId } }, ...init }),
      { retrySafe: false, call: options },
    );
  }

  /**
   * Requests approval and waits for the decision: the approved approval (use its `approval_id` once),
   * or ApprovalRejectedError / ApprovalExpiredError / ApprovalTimeoutError.
   */
  async obtainGrant(
    action: ActionType,
    context: PolicyContext,
    options: RequestApprovalOptions & { timeoutMs: number; onRequested?: (approval: Approval) => void },
  ): Promise<Approval> {
    const requested = await this.request(action, context, options);
    options.onRequested?.(requested);
    const approval = await this.wait(requested.approval_id, { timeoutMs: options.timeoutMs, signal: options.signal });
    switch (approval.status) {
      case 'approved':
        return approval;
      case 'pending':
        throw new ApprovalTimeoutError(
          `No decision on ${approval.approval_id} within ${options.timeoutMs} ms`,
          approval,
        );
      case 'expired':
        throw new ApprovalExpiredError(`Approval ${approval.approval_id} expired`, approval);
      case 'consumed':
        throw new ApprovalExpiredError(`Approval ${approval.approval_id} was already used`, approval);
      default:
        throw new ApprovalRejectedError(`Approval ${approval.approval_id} was ${approval.status}`, approval);
    }
  }

  private poll(approvalId: string, waitSeconds: number, options?: CallOptions): Promise<Approval> {
    return this.http.send(
      'GET /api/v1/safety/approvals/{id}',
      (init) =>
        this.http.api.GET('/api/v1/safety/approvals/{id}', {
          params: { path: { id: approvalId }, query: waitSeconds > 0 ? { wait: waitSeconds } : {} },
          ...init,
        }),
      { retrySafe: true, call: options },
    );
  }
}
