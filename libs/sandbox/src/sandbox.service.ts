import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { parseAllowedDomains } from './domain-allowlist';
import { secretEnvValues } from './execute-arguments';
import { SandboxBudget } from './ports/sandbox-budget.port';
import { SandboxPolicy, type SandboxPolicyDecision, type SandboxPolicyTrace } from './ports/sandbox-policy.port';
import { SandboxProvider } from './ports/sandbox-provider.port';
import { SandboxRedactor } from './ports/sandbox-redactor.port';
import { RedactedOutput } from './redacted-output';
import { SandboxSessionRegistry } from './sandbox-session.registry';
import { SessionScripts, scriptFiles } from './session-scripts';
import { SandboxError, sessionNotFound } from './sandbox.errors';
import { SANDBOX_SETTINGS } from './sandbox.tokens';
import type { SandboxSettings } from './sandbox.options';
import type { ExecuteOptions, ExecuteResult, SandboxSession, UploadFile } from './sandbox.types';

export interface SafeExecuteRequest {
  runId: string;
  command: string;
  timeoutMs?: number;
  allowedDomains?: string[];
  files?: UploadFile[];
  template?: string;
  /** Who asked: named on the policy decisions' log lines. */
  trace?: SandboxPolicyTrace;
  /** An approved grant for this command, used (once) when the policy asks for approval. */
  approvalId?: string;
}

/** The product's safeExecuteCode answer (wire shape). */
export interface SafeExecuteResult extends ExecuteResult {
  /** USD charged for the command's measured duration. */
  cost: number;
  budget_remaining: number;
  /** Id of the policy decision that let the command run. */
  decision_id: string;
}

export interface CreateSessionRequest {
  template?: string;
  ttlMs?: number;
  allowedDomains?: string[];
  runId?: string;
  trace?: SandboxPolicyTrace;
}

export interface SessionExecuteRequest {
  command: string;
  /** The caller's owner (SandboxModuleOptions.sessionOwner); another owner's session is not found. */
  owner?: string;
  trace?: SandboxPolicyTrace;
  approvalId?: string;
  timeoutMs?: number;
  cwd?: string;
  env?: Record<string, string>;
}

export interface SessionExecuteResult extends ExecuteResult {
  decision_id: string;
  /** The run the session belongs to (its time is charged to that budget), or null. */
  run_id: string | null;
  /** Present when the session belongs to a run (then the time is charged to its budget). */
  cost?: number;
  budget_remaining?: number;
}

/** How long a budget hold outlives the command's timeout (create, upload and destroy happen inside it). */
const HOLD_MARGIN_MS = 120_000;
/** Provider session ids (local `lsb_<hex>`, E2B alphanumeric); anything else cannot exist. */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Safe execution end to end: policy → budget hold for the most the timeout can
 * cost → sandbox → execute → destroy (always) → commit the measured cost →
 * redacted output. Also the session lifecycle (create, upload, execute, destroy)
 * with TTL and idle reaping and a cap on live sessions.
 */
@Injectable()
export class SandboxService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SandboxService.name);
  private readonly registry: SandboxSessionRegistry;
  private readonly scripts = new SessionScripts();
  private reaper?: NodeJS.Timeout;

  constructor(
    private readonly provider: SandboxProvider,
    private readonly policy: SandboxPolicy,
    private readonly budget: SandboxBudget,
    private readonly redactor: SandboxRedactor,
    @Inject(SANDBOX_SETTINGS) private readonly settings: SandboxSettings,
  ) {
    this.registry = new SandboxSessionRegistry(settings.maxSessions, settings.maxSessionsPerOwner);
  }

  get providerName(): SandboxProvider['name'] {
    return this.provider.name;
  }

  onModuleInit(): void {
    this.reaper = setInterval(() => void this.reap(), this.settings.reapIntervalMs);
    this.reaper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.reaper);
    // Local sessions die with this process anyway; E2B sessions stay reachable from other replicas until their TTL.
    if (this.provider.name === 'local')
      await Promise.all(this.registry.all().map((session) => this.destroySession(session.id)));
  }

  /** The product's safeExecuteCode. A denied command never reaches a sandbox and costs nothing. */
  async safeExecute(request: SafeExecuteRequest): Promise<SafeExecuteResult> {
    const timeoutMs = this.timeout(request.timeoutMs);
    const allowedDomains = parseAllowedDomains(request.allowedDomains);
    const judged = await this.judge(request.command, allowedDomains, request.trace, request.approvalId, {
      files: scriptFiles(request.files),
    });
    await this.provider.assertAvailable();
    const reserved = this.costMicros(timeoutMs);
    const { reservationId } = await this.budget.reserveFor(request.runId, reserved, timeoutMs + HOLD_MARGIN_MS);
    const output = new RedactedOutput(this.redactor, []);
    let result: ExecuteResult;
    let decision: SandboxPolicyDecision;
    try {
      decision = await this.useGrant(judged, request.command, request.approvalId, request.runId, request.trace);
      result = await this.inFreshSession(request, allowedDomains, timeoutMs, output.tap);
    } catch (error) {
      output.discard();
      await this.budget
        .releaseReservation(reservationId)
        .catch((releaseError: unknown) => this.logReleaseFailure(reservationId, releaseError));
      throw error;
    }
    const charge = await this.settle(reservationId, result.duration_ms, reserved);
    return {
      ...(await output.apply(result)),
      cost: charge.cost,
      budget_remaining: charge.remaining,
      decision_id: decision.decision_id,
    };
  }

  async createSession(request: CreateSessionRequest = {}): Promise<SandboxSession> {
    const allowedDomains = parseAllowedDomains(request.allowedDomains);
    for (const domain of allowedDomains) await this.judgeDomain(domain, request.trace);
    const ttlMs = this.ttl(request.ttlMs);
    if (request.runId !== undefined) await this.budget.getStatus(request.runId);
    const owner = this.settings.sessionOwner(request.runId);
    const releaseSlot = this.registry.claimSlot(owner);
    try {
      const session = await this.provider.create(request.template ?? this.settings.defaultTemplate, {
        ttlMs,
        allowedDomains,
        runId: request.runId,
      });
      this.registry.add(session, owner, releaseSlot);
      return session;
    } finally {
      releaseSlot();
    }
  }

  /** `owner`, when given, must own the session (another owner's session is SANDBOX_SESSION_NOT_FOUND). */
  async uploadFiles(sessionId: string, files: UploadFile[], owner?: string): Promise<void> {
    const session = await this.session(sessionId, owner);
    const done = this.registry.use(sessionId);
    try {
      await this.provider.uploadFiles(session, files);
      this.scripts.record(sessionId, files);
    } catch (error) {
      this.forgetIfGone(sessionId, error);
      throw error;
    } finally {
      done();
    }
  }

  /**
   * Policy-checked; charged to the session's run when it has one; output
   * redacted, including the values of secret-named variables in `env`.
   */
  async executeInSession(sessionId: string, request: SessionExecuteRequest): Promise<SessionExecuteResult> {
    const session = await this.session(sessionId, request.owner);
    const timeoutMs = this.timeout(request.timeoutMs);
    const judged = await this.judge(request.command, [], request.trace, request.approvalId, {
      files: this.scripts.get(sessionId),
      env: request.env,
    });
    const reserved = this.costMicros(timeoutMs);
    const hold = session.runId
      ? await this.budget.reserveFor(session.runId, reserved, timeoutMs + HOLD_MARGIN_MS)
      : undefined;
    const done = this.registry.use(sessionId);
    const output = new RedactedOutput(this.redactor, secretEnvValues(request.env));
    let result: ExecuteResult;
    let decision: SandboxPolicyDecision;
    try {
      decision = await this.useGrant(judged, request.command, request.approvalId, session.runId, request.trace);
      result = await this.provider.execute(session, request.command, timeoutMs, {
        cwd: request.cwd,
        env: request.env,
        onOutput: output.tap,
      });
    } catch (error) {
      output.discard();
      this.forgetIfGone(sessionId, error);
      if (hold)
        await this.budget
          .releaseReservation(hold.reservationId)
          .catch((e: unknown) => this.logReleaseFailure(hold.reservationId, e));
      throw error;
    } finally {
      done();
    }
    const ran = { ...(await output.apply(result)), decision_id: decision.decision_id, run_id: session.runId ?? null };
    if (!hold) return ran;
    const charge = await this.settle(hold.reservationId, result.duration_ms, reserved);
    return {
      ...ran,
      cost: charge.cost,
      budget_remaining: charge.remaining,
    };
  }

  /** Idempotent for sessions this replica knows; an unknown id (or another owner's) is SANDBOX_SESSION_NOT_FOUND. */
  async destroySession(sessionId: string, owner?: string): Promise<void> {
    const session = await this.session(sessionId, owner);
    this.registry.remove(sessionId);
    this.scripts.forget(sessionId);
    await this.provider.destroy(session);
  }

  async getSession(sessionId: string, owner?: string): Promise<SandboxSession> {
    return this.session(sessionId, owner);
  }

  /** Destroys expired and idle sessions; exposed for tests and called on a timer. */
  async reap(now = Date.now()): Promise<number> {
    const due = this.registry.due(now, this.settings.sessionIdleMs);
    for (const session of due) {
      this.registry.remove(session.id);
      this.scripts.forget(session.id);
      await this.provider
        .destroy(session)
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'sandbox reap failed', sandbox_session: session.id, err: String(error) }),
        );
    }
    return due.length;
  }

  private async inFreshSession(
    request: SafeExecuteRequest,
    allowedDomains: string[],
    timeoutMs: number,
    onOutput: ExecuteOptions['onOutput'],
  ): Promise<ExecuteResult> {
    const releaseSlot = this.registry.claimSlot(this.settings.sessionOwner(request.runId));
    try {
      const session = await this.provider.create(request.template ?? this.settings.defaultTemplate, {
        ttlMs: timeoutMs + HOLD_MARGIN_MS,
        allowedDomains,
        runId: request.runId,
      });
      try {
        if (request.files?.length) await this.provider.uploadFiles(session, request.files);
        return await this.provider.execute(session, request.command, timeoutMs, { onOutput });
      } finally {
        await this.provider.destroy(session);
      }
    } finally {
      releaseSlot();
    }
  }

  /** Commits the measured cost (never more than was held; nothing when it rounds to zero). */
  private async settle(
    reservationId: string,
    durationMs: number,
    reservedMicros: number,
  ): Promise<{ cost: number; remaining: number }> {
    const costMicros = Math.min(reservedMicros, this.costMicros(durationMs));
    if (costMicros <= 0) {
      const released = await this.budget.releaseReservation(reservationId);
      return { cost: 0, remaining: released.budget.remaining };
    }
    const cost = costMicros / 1_000_000;
    const settled = await this.budget.commitReservation(reservationId, cost);
    return { cost, remaining: settled.budget.remaining };
  }

  /** Micro-dollars for a duration, rounded up: a started micro-dollar is charged. */
  private costMicros(durationMs: number): number {
    return Math.ceil((this.settings.costPerSecondMicros * durationMs) / 1000 - 1e-9);
  }

  /**
   * The policy's decision on the command and each allowed domain. With a grant to use, an `approval` is
   * not refused here: useGrant decides it once the budget hold is taken, so a grant is only consumed by a
   * command that then runs.
   */
  private async judge(
    command: string,
    allowedDomains: string[],
    trace?: SandboxPolicyTrace,
    approvalId?: string,
    known: { files?: Record<string, string>; env?: Record<string, string> } = {},
  ): Promise<SandboxPolicyDecision> {
    if (typeof command !== 'string' || command.trim() === '') {
      throw new SandboxError('SANDBOX_INVALID_ARGUMENT', 'command must be a non-empty string.', { field: 'command' });
    }
    const decision = await this.policy.check(
      'execute_code',
      // The scripts it may run and its environment are part of the action (PolicyGate judges both).
      {
        command,
        cwd: '/workspace',
        workspace: '/workspace',
        ...(known.files ? { files: known.files } : {}),
        ...(known.env && Object.keys(known.env).length > 0 ? { env: known.env } : {}),
      },
      trace,
    );
    if (!(decision.decision === 'approval' && approvalId !== undefined)) refuseUnlessAllowed(decision, 'The command');
    for (const domain of allowedDomains) await this.judgeDomain(domain, trace);
    return decision;
  }

  /**
   * An `approval` decision turned into a run by consuming the grant (atomically, once), or
   * POLICY_APPROVAL_REQUIRED saying why the grant was not used. Any other decision passes unchanged.
   */
  private async useGrant(
    decision: SandboxPolicyDecision,
    command: string,
    approvalId: string | undefined,
    runId: string | undefined,
    trace?: SandboxPolicyTrace,
  ): Promise<SandboxPolicyDecision> {
    if (decision.decision !== 'approval') return decision;
    const result =
      this.settings.grants && approvalId !== undefined && runId !== undefined
        ? await this.settings.grants.redeem(approvalId, command, runId, trace)
        : { ok: false as const, error: runId === undefined ? 'APPROVAL_MISMATCH' : 'APPROVAL_NOT_FOUND' };
    if (!result.ok) {
      throw new SandboxError(
        'POLICY_APPROVAL_REQUIRED',
        `The command needs human approval: ${decision.reason} (approval ${approvalId} not used: ${result.error})`,
        { decision, approvalError: result.error },
      );
    }
    return { ...decision, allowed: true, decision: 'allow', requires_approval: false };
  }

  private async judgeDomain(domain: string, trace?: SandboxPolicyTrace): Promise<void> {
    const decision = await this.policy.check(
      'network_access',
      { domain: domain.replace(/^\*\./, ''), port: 443 },
      trace,
    );
    refuseUnlessAllowed(decision, `Network access to ${domain}`);
  }

  /** The session, if it exists and `owner` (when given) owns it; otherwise not found, with the same answer either way. */
  private async session(sessionId: string, owner?: string): Promise<SandboxSession> {
    if (!SESSION_ID.test(sessionId)) throw sessionNotFound(sessionId.slice(0, 64));
    const session = this.registry.get(sessionId) ?? (await this.reattach(sessionId));
    if (owner !== undefined && this.settings.sessionOwner(session.runId) !== owner) throw sessionNotFound(sessionId);
    return session;
  }

  private async reattach(sessionId: string): Promise<SandboxSession> {
    const reattached = await this.provider.reconnect(sessionId);
    if (!reattached) throw sessionNotFound(sessionId);
    this.registry.adopt(reattached, this.settings.sessionOwner(reattached.runId));
    return reattached;
  }

  private timeout(timeoutMs: number | undefined): number {
    const value = timeoutMs ?? this.settings.defaultTimeoutMs;
    if (!Number.isSafeInteger(value) || value < 1 || value > this.settings.maxTimeoutMs) {
      throw new SandboxError(
        'SANDBOX_INVALID_ARGUMENT',
        `timeout_ms must be an integer from 1 to ${this.settings.maxTimeoutMs}.`,
        {
          field: 'timeout_ms',
        },
      );
    }
    return value;
  }

  private ttl(ttlMs: number | undefined): number {
    const value = ttlMs ?? this.settings.sessionTtlMs;
    if (!Number.isSafeInteger(value) || value < 1000 || value > this.settings.sessionTtlMs) {
      throw new SandboxError(
        'SANDBOX_INVALID_ARGUMENT',
        `timeout_ms must be an integer from 1000 to ${this.settings.sessionTtlMs}.`,
        {
          field: 'timeout_ms',
        },
      );
    }
    return value;
  }

  /** A session destroyed elsewhere (another replica, E2B's own timeout) stops holding a slot here. */
  private forgetIfGone(sessionId: string, error: unknown): void {
    if (error instanceof SandboxError && error.code === 'SANDBOX_SESSION_NOT_FOUND') this.registry.remove(sessionId);
  }

  private logReleaseFailure(reservationId: string, error: unknown): void {
    // The hold expires by itself; nothing is charged for it.
    this.logger.warn({ msg: 'sandbox budget release failed', reservation_id: reservationId, err: String(error) });
  }
}

function refuseUnlessAllowed(decision: SandboxPolicyDecision, subject: string): void {
  if (decision.decision === 'allow' && decision.allowed) return;
  const approval = decision.decision === 'approval';
  throw new SandboxError(
    approval ? 'POLICY_APPROVAL_REQUIRED' : 'POLICY_DENIED',
    `${subject} ${approval ? 'needs human approval' : 'was denied by policy'}: ${decision.reason}`,
    { decision },
  );
}
