import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { actionDigest } from './action-digest';
import { ApprovalReceipts } from './approval-receipts';
import { ApprovalError, approvalNotFound } from './approvals.errors';
import type {
  Approval,
  ApprovalEvent,
  ApprovalEventType,
  ApprovalListFilter,
  ApprovalVerdict,
  NewApprovalRequest,
  RedeemResult,
} from './approvals.types';
import { ApprovalListener } from './ports/approval-listener.port';
import { ApprovalPage, ApprovalStore } from './ports/approval-store.port';

/** Lifetimes and the sweep period, in ms. */
export interface ApprovalsSettings {
  ttlMs: number;
  grantTtlMs: number;
  sweepIntervalMs: number;
}

export const APPROVAL_ID_PATTERN = /^apr_[0-9a-f]{32}$/;

/** What a grant is used for: the action about to happen, by whom, in which tenant and run. */
export interface GrantUse {
  tenant: string;
  action: string;
  context: Record<string, unknown>;
  runId: string | null;
  by: string;
}

/**
 * Human approval of one exact action: requested (deduplicated per requester, run and action), decided
 * by distinct approvers who are not the requester, signed into a receipt when approved, and used at
 * most once by an action with the same digest, in the same tenant and run. Pending requests and
 * unused grants expire; a sweeper makes expiry an event even when nobody looks.
 */
export class ApprovalsService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Approvals');
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly store: ApprovalStore,
    private readonly receipts: ApprovalReceipts,
    private readonly settings: ApprovalsSettings,
    private readonly listeners: ApprovalListener[] = [],
  ) {}

  get jwks() {
    return this.receipts.jwks;
  }

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep().catch(() => undefined), this.settings.sweepIntervalMs);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.store.close();
  }

  /** A new pending approval, or the requester's own pending or unused one for the same action and run. */
  async request(request: NewApprovalRequest): Promise<{ approval: Approval; created: boolean }> {
    const digest = actionDigest(request.action, request.digestContext);
    const dedupKey = createHash('sha256')
      .update(JSON.stringify([request.tenant, request.requestedBy, request.runId ?? '', digest]))
      .digest('hex');
    const existing = await this.store.findByDedupKey(dedupKey);
    if (existing && (await this.isLive(existing))) return { approval: existing, created: false };
    const now = new Date();
    const approval: Approval = {
      approval_id: `apr_${randomBytes(16).toString('hex')}`,
      status: 'pending',
      tenant: request.tenant,
      run_id: request.runId ?? null,
      action: request.action,
      context: request.context,
      action_digest: digest,
      requested_by: request.requestedBy,
      justification: request.justification ?? null,
      reason: request.reason,
      rule_ids: request.ruleIds,
      required_approvals: request.requiredApprovals,
      decisions: [],
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + this.settings.ttlMs).toISOString(),
      decided_at: null,
      consumed_at: null,
      receipt: null,
    };
    await this.store.create(approval, dedupKey);
    this.emit('approval.requested', approval, request.requestedBy);
    return { approval, created: true };
  }

  /** The approval of `tenant` (another tenant's is not found), with a lapsed one shown as expired. */
  async get(approvalId: string, tenant: string): Promise<Approval> {
    const approval = APPROVAL_ID_PATTERN.test(approvalId) ? await this.store.get(approvalId) : undefined;
    if (!approval || approval.tenant !== tenant) throw approvalNotFound(approvalId);
    if (!(await this.isLive(approval)) && (approval.status === 'pending' || approval.status === 'approved')) {
      return (await this.store.get(approvalId)) ?? approval;
    }
    return approval;
  }

  /**
   * Answers once the approval is not pending, or after `timeoutMs`, whichever comes first. `signal`
   * ends the wait early (the caller went away) with the approval as it is.
   */
  async wait(approvalId: string, tenant: string, timeoutMs: number, signal?: AbortSignal): Promise<Approval> {
    const first = await this.get(approvalId, tenant);
    if (first.status !== 'pending' || timeoutMs <= 0 || signal?.aborted) return first;
    return new Promise<Approval>((resolve, reject) => {
      let settled = false;
      const check = async (force: boolean) => {
        if (settled) return;
        try {
          const current = await this.get(approvalId, tenant);
          if (settled || (current.status === 'pending' && !force)) return;
          settled = true;
          unsubscribe();
          clearTimeout(timer);
          resolve(current);
        } catch (error) {
          settled = true;
          unsubscribe();
          clearTimeout(timer);
          reject(error);
        }
      };
      const unsubscribe = this.store.onChange((changed) => changed === approvalId && void check(false));
      // Wake at the timeout, or when the request lapses, whichever is first.
      const lapse = Math.max(0, Date.parse(first.expires_at) - Date.now() + 5);
      const timer = setTimeout(() => void check(true), Math.min(timeoutMs, lapse));
      signal?.addEventListener('abort', () => void check(true), { once: true });
      // A decision between the first read and the subscription would otherwise be missed.
      void check(false);
    });
  }

  /**
   * A long-poll for lists (the operator console's pending list): the tenant's version once it is
   * past `since` (at once if it already is), or the same version after `timeoutMs`. A client passes
   * back the version it last saw, so a change between its list read and its next wait is never missed.
   */
  async waitForTenantChange(
    tenant: string,
    since: number | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ changed: boolean; version: number }> {
    const moved = (version: number) => since !== undefined && version !== since;
    const current = await this.store.tenantVersion(tenant);
    if (moved(current) || timeoutMs <= 0 || signal?.aborted) return { changed: moved(current), version: current };
    return new Promise((resolve) => {
      let settled = false;
      const finish = async (force: boolean) => {
        if (settled) return;
        const version = await this.store.tenantVersion(tenant).catch(() => current);
        if (settled || (!force && version === current)) return;
        settled = true;
        unsubscribe();
        clearTimeout(timer);
        resolve({ changed: version !== current, version });
      };
      const unsubscribe = this.store.onChange(() => void finish(false));
      const timer = setTimeout(() => void finish(true), timeoutMs);
      signal?.addEventListener('abort', () => void finish(true), { once: true });
      // A change between the first read and the subscription would otherwise wait for the timeout.
      void finish(false);
    });
  }

  list(filter: ApprovalListFilter, limit: number, cursor?: string): Promise<ApprovalPage> {
    return this.store.list(filter, limit, cursor);
  }

  /** One approver's decision. The requester may never decide its own; each approver decides once. */
  async decide(
    approvalId: string,
    tenant: string,
    by: string,
    verdict: ApprovalVerdict,
    comment?: string,
  ): Promise<Approval> {
    const current = await this.get(approvalId, tenant);
    if (current.requested_by === by) {
      throw new ApprovalError('SELF_APPROVAL', 'The requester of an approval may not decide it.', { approvalId });
    }
    const at = new Date().toISOString();
    const outcome = await this.store.decide(
      approvalId,
      { by, decision: verdict, comment: comment ?? null, at },
      this.settings.grantTtlMs,
    );
    if (outcome.kind === 'not_found') throw approvalNotFound(approvalId);
    if (outcome.kind === 'not_pending' || outcome.kind === 'already_decided') {
      const why = outcome.kind === 'already_decided' ? `"${by}" already decided it` : `it is ${outcome.status}`;
      throw new ApprovalError('APPROVAL_NOT_PENDING', `Approval ${approvalId} cannot be decided: ${why}.`, {
        approvalId,
      });
    }
    let approval = outcome.approval;
    if (approval.status === 'approved') {
      approval = { ...approval, receipt: await this.receipts.sign(approval) };
      await this.store.setReceipt(approvalId, approval.receipt!);
      this.emit('approval.approved', approval, by);
    } else if (approval.status === 'rejected') {
      this.emit('approval.rejected', approval, by);
    } else {
      this.emit('approval.decision', approval, by);
    }
    return approval;
  }

  /** pending → cancelled, by its requester only. */
  async cancel(approvalId: string, tenant: string, by: string): Promise<Approval> {
    const current = await this.get(approvalId, tenant);
    if (current.requested_by !== by) {
      throw new ApprovalError('APPROVAL_NOT_REQUESTER', 'Only the requester may cancel an approval.', { approvalId });
    }
    if (!(await this.store.cancel(approvalId, new Date().toISOString()))) {
      const now = await this.get(approvalId, tenant);
      throw new ApprovalError(
        'APPROVAL_NOT_PENDING',
        `Approval ${approvalId} cannot be cancelled: it is ${now.status}.`,
        {
          approvalId,
        },
      );
    }
    const cancelled = await this.get(approvalId, tenant);
    this.emit('approval.cancelled', cancelled, by);
    return cancelled;
  }

  /**
   * Uses a grant for `use`: exactly one caller gets `ok` for an approved, unexpired, unused approval
   * of the same tenant, action digest and run (when the approval names one).
   */
  async redeem(approvalId: string, use: GrantUse): Promise<RedeemResult> {
    if (!APPROVAL_ID_PATTERN.test(approvalId)) return { ok: false, error: 'APPROVAL_NOT_FOUND' };
    const outcome = await this.store.redeem(approvalId, {
      tenant: use.tenant,
      digest: actionDigest(use.action, use.context),
      runId: use.runId,
      at: new Date().toISOString(),
    });
    if (outcome.kind === 'refused') {
      if (outcome.error === 'APPROVAL_EXPIRED') await this.expire(approvalId);
      return { ok: false, error: outcome.error };
    }
    this.emit('approval.consumed', outcome.approval, use.by);
    return { ok: true, approval: outcome.approval };
  }

  /** Expires what has lapsed; each expiry's event fires once, on the replica whose transition won. */
  async sweep(nowMs = Date.now()): Promise<number> {
    const due = await this.store.dueForExpiry(nowMs, 100);
    let expired = 0;
    for (const id of due) if (await this.expire(id, nowMs)) expired++;
    return expired;
  }

  /** Pending or approved and not past its expiry; expires it (once, with its event) when it has lapsed. */
  private async isLive(approval: Approval): Promise<boolean> {
    if (approval.status !== 'pending' && approval.status !== 'approved') return false;
    if (Date.parse(approval.expires_at) > Date.now()) return true;
    await this.expire(approval.approval_id);
    return false;
  }

  private async expire(approvalId: string, nowMs = Date.now()): Promise<boolean> {
    if (!(await this.store.expire(approvalId, nowMs))) return false;
    const approval = await this.store.get(approvalId);
    if (approval) this.emit('approval.expired', approval);
    return true;
  }

  private emit(type: ApprovalEventType, approval: Approval, by?: string): void {
    const event: ApprovalEvent = { type, approval, by, at: new Date().toISOString() };
    for (const listener of this.listeners) {
      void Promise.resolve()
        .then(() => listener.onEvent(event))
        .catch((error: unknown) =>
          this.logger.error({ msg: 'approval listener failed', type, error: (error as Error).message }),
        );
    }
  }
}
