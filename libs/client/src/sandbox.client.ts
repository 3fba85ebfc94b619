import { ActionType } from './action-type';
import { ApprovalsClient } from './approvals.client';
import { ApprovalRequiredError, SessionNotFoundError } from './client.errors';
import type { CallOptions, SafetyClientOptions } from './client.options';
import type { SafeExecuteResult, SandboxFileWire, SessionExecuteResult } from './client.types';
import { SafetyHttp } from './http/safety-http';

/** A live sandbox session. Only `sessionId` is needed to reach it again. */
export interface SandboxSession {
  sessionId: string;
  /** `local` (bubblewrap, pinned to the replica that created it) or `e2b` (reachable from any replica). */
  provider: string;
  template: string;
  expiresAt: string;
  runId: string | null;
  allowedDomains: string[];
}

/** A file to place in the session's workspace; `path` is relative to /workspace. Bytes are sent as base64. */
export interface SandboxFile {
  path: string;
  content: string | Uint8Array;
}

/** What a command did. A non-zero exit or a timeout is a result, not an exception. */
export interface ExecutionResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
  /** stdout or stderr went past the server's per-stream cap; the rest was discarded. */
  truncated: boolean;
  /** The policy decision that let the command run. */
  decisionId: string;
  /** USD charged, when the session belongs to a run. */
  cost?: number;
  /** The run's budget left after the charge, when the session belongs to a run. */
  budgetRemaining?: number;
}

export interface SafeExecuteParams {
  runId: string;
  command: string;
  /** Wall-clock limit for the command, in milliseconds (the budget holds the largest cost it allows). */
  timeout?: number;
  /** Hosts the command may reach over HTTPS (exact, or `*.suffix`); each is policy-checked. None: no network. */
  allowedDomains?: string[];
  files?: SandboxFile[];
  template?: string;
  /** Use this approved grant when the policy asks for approval (the command runs once). */
  approvalId?: string;
  /**
   * When the policy asks for approval: request it for this command and run, wait up to `timeoutMs`,
   * then run once with the grant (or throw ApprovalRejectedError / ApprovalExpiredError / ApprovalTimeoutError).
   */
  waitForApproval?: { timeoutMs: number; justification?: string };
}

export interface SafeExecutionResult extends ExecutionResult {
  /** USD charged to the run's budget for the measured duration. */
  cost: number;
  /** What is left of the run's budget after the charge. */
  budgetRemaining: number;
}

export interface CreateSessionOptions extends CallOptions {
  /** Session lifetime in milliseconds. */
  timeoutMs?: number;
  allowedDomains?: string[];
  /** Run the session belongs to (its egress decisions are logged with it). */
  runId?: string;
}

export interface SessionExecuteOptions extends CallOptions {
  cwd?: string;
  env?: Record<string, string>;
}

type SessionRef = SandboxSession | string;

/**
 * Sandboxed execution over HTTP, with the product's E2BSandbox lifecycle
 * (`create`, `uploadFiles`, `execute`, `destroy`) and `safeExecuteCode`, which
 * does policy → budget → sandbox → redaction server-side in one call.
 *
 * Nothing here is retried: running a command twice is not safe in general.
 * The session calls are policy-checked and their output redacted by the server.
 */
export class SandboxClient {
  private readonly http: SafetyHttp;
  private readonly approvals: ApprovalsClient;

  constructor(baseUrl?: string, options?: SafetyClientOptions) {
    this.http = new SafetyHttp(baseUrl, options);
    this.approvals = new ApprovalsClient(baseUrl, options);
  }

  /** Starts a session from `template` (default `base`). Always pair it with `destroy` in a `finally`. */
  async create(template = 'base', options: CreateSessionOptions = {}): Promise<SandboxSession> {
    const body = {
      template,
      timeout_ms: options.timeoutMs,
      allowed_domains: options.allowedDomains,
      run_id: options.runId,
    };
    const session = await this.http.send(
      'POST /api/v1/safety/sandbox/sessions',
      (init) => this.http.api.POST('/api/v1/safety/sandbox/sessions', { body, ...init }),
      { retrySafe: false, call: options },
    );
    return {
      sessionId: session.session_id,
      provider: session.provider,
      template: session.template,
      expiresAt: session.expires_at,
      runId: session.run_id,
      allowedDomains: session.allowed_domains,
    };
  }

  /** Writes files into the session's /workspace and returns their paths (paths outside it: UploadInvalidError). */
  async uploadFiles(session: SessionRef, files: SandboxFile[], options?: CallOptions): Promise<string[]> {
    const body = { files: files.map(toWireFile) };
    const result = await this.http.send(
      'POST /api/v1/safety/sandbox/sessions/{session_id}/files',
      (init) =>
        this.http.api.POST('/api/v1/safety/sandbox/sessions/{session_id}/files', {
          params: { path: sessionParam(session) },
          body,
          ...init,
        }),
      { retrySafe: false, call: options },
    );
    return result.written;
  }

  /** Runs `command` in the session and returns what it did; `timeoutMs` kills it (and its children) when passed. */
  async execute(
    session: SessionRef,
    command: string,
    timeoutMs?: number,
    options: SessionExecuteOptions = {},
  ): Promise<ExecutionResult> {
    const body = { command, timeout_ms: timeoutMs, cwd: options.cwd, env: options.env };
    const result = await this.http.send(
      'POST /api/v1/safety/sandbox/sessions/{session_id}/execute',
      (init) =>
        this.http.api.POST('/api/v1/safety/sandbox/sessions/{session_id}/execute', {
          params: { path: sessionParam(session) },
          body,
          ...init,
        }),
      // The HTTP call must outlive the command's own timeout.
      {
        retrySafe: false,
        call: { ...options, timeoutMs: options.timeoutMs ?? (timeoutMs ? timeoutMs + 15_000 : undefined) },
      },
    );
    return toExecutionResult(result);
  }

  /** Destroys the session. A session that is already gone (expired, reaped, destroyed) counts as destroyed. */
  async destroy(session: SessionRef, options?: CallOptions): Promise<void> {
    try {
      await this.http.send(
        'DELETE /api/v1/safety/sandbox/sessions/{session_id}',
        (init) =>
          this.http.api.DELETE('/api/v1/safety/sandbox/sessions/{session_id}', {
            params: { path: sessionParam(session) },
            ...init,
          }),
        {
          // Deleting twice leaves the same state, so a lost answer may be retried.
          retrySafe: true,
          call: options,
        },
      );
    } catch (error) {
      if (!(error instanceof SessionNotFoundError)) throw error;
    }
  }

  /**
   * Policy check (command and each allowed domain) → budget hold → create → upload → execute →
   * destroy → charge the measured cost → redacted output, all server-side. Throws PolicyDeniedError /
   * ApprovalRequiredError (403, nothing ran, nothing charged), BudgetExceededError (402) or
   * BudgetNotFoundError (404).
   */
  async safeExecuteCode(params: SafeExecuteParams, options: CallOptions = {}): Promise<SafeExecutionResult> {
    try {
      return await this.executeOnce(params, options);
    } catch (error) {
      if (!(error instanceof ApprovalRequiredError) || !params.waitForApproval || params.approvalId) throw error;
      const grant = await this.approvals.obtainGrant(
        ActionType.EXECUTE_CODE,
        { command: params.command },
        {
          runId: params.runId,
          justification: params.waitForApproval.justification,
          timeoutMs: params.waitForApproval.timeoutMs,
        },
      );
      return this.executeOnce({ ...params, approvalId: grant.approval_id }, options);
    }
  }

  private async executeOnce(params: SafeExecuteParams, options: CallOptions): Promise<SafeExecutionResult> {
    const body = {
      run_id: params.runId,
      command: params.command,
      timeout_ms: params.timeout,
      allowed_domains: params.allowedDomains,
      files: params.files?.map(toWireFile),
      template: params.template,
      approval_id: params.approvalId,
    };
    const result = await this.http.send(
      'POST /api/v1/safety/sandbox/execute',
      (init) => this.http.api.POST('/api/v1/safety/sandbox/execute', { body, ...init }),
      {
        retrySafe: false,
        call: { ...options, timeoutMs: options.timeoutMs ?? (params.timeout ? params.timeout + 30_000 : undefined) },
      },
    );
    return { ...toExecutionResult(result), cost: result.cost, budgetRemaining: result.budget_remaining };
  }
}

/** The product's name for the sandbox lifecycle facade. */
export { SandboxClient as E2BSandbox };

/** `safeExecuteCode` with a client built from `API_URL` (or http://localhost:8000) and the given options. */
export function safeExecuteCode(
  params: SafeExecuteParams,
  options?: SafetyClientOptions & { baseUrl?: string },
): Promise<SafeExecutionResult> {
  return new SandboxClient(options?.baseUrl, options).safeExecuteCode(params);
}

function sessionParam(session: SessionRef): { session_id: string } {
  return { session_id: typeof session === 'string' ? session : session.sessionId };
}

function toWireFile(file: SandboxFile): SandboxFileWire {
  return typeof file.content === 'string'
    ? { path: file.path, content: file.content }
    : { path: file.path, content: Buffer.from(file.content).toString('base64'), encoding: 'base64' };
}

function toExecutionResult(result: SessionExecuteResult | SafeExecuteResult): ExecutionResult {
  return {
    exitCode: result.exit_code,
    stdout: result.stdout,
    stderr: result.stderr,
    timedOut: result.timed_out,
    durationMs: result.duration_ms,
    truncated: result.truncated,
    decisionId: result.decision_id,
    ...(result.cost !== undefined ? { cost: result.cost } : {}),
    ...(result.budget_remaining !== undefined ? { budgetRemaining: result.budget_remaining } : {}),
  };
}
