import { EventEmitter } from 'node:events';
import type { Approval, ApprovalDecision, ApprovalListFilter } from '../approvals.types';
import { ApprovalPage, ApprovalStore, DecideOutcome, RedeemOutcome } from '../ports/approval-store.port';

/**
 * The embedded store's approvals, in process memory: one replica, lost on restart (as every
 * embedded-store record is). Each method runs to completion before another starts, which is what
 * makes its transitions atomic. Records are forgotten `retentionMs` after creation.
 */
export class InMemoryApprovalStore extends ApprovalStore {
  private readonly approvals = new Map<string, { approval: Approval; forgetAtMs: number }>();
  private readonly dedup = new Map<string, string>();
  private readonly changes = new EventEmitter().setMaxListeners(0);
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly retentionMs: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async create(approval: Approval, dedupKey: string): Promise<void> {
    this.forgetOld();
    this.approvals.set(approval.approval_id, { approval: clone(approval), forgetAtMs: this.now() + this.retentionMs });
    this.dedup.set(dedupKey, approval.approval_id);
    this.changed(approval.approval_id);
  }

  async findByDedupKey(dedupKey: string): Promise<Approval | undefined> {
    const id = this.dedup.get(dedupKey);
    return id === undefined ? undefined : this.get(id);
  }

  async get(approvalId: string): Promise<Approval | undefined> {
    this.forgetOld();
    const entry = this.approvals.get(approvalId);
    return entry && clone(entry.approval);
  }

  async list(filter: ApprovalListFilter, limit: number, cursor?: string): Promise<ApprovalPage> {
    this.forgetOld();
    const matching = [...this.approvals.values()]
      .map((entry) => entry.approval)
      .filter(
        (a) =>
          a.tenant === filter.tenant &&
          (filter.status === undefined || a.status === filter.status) &&
          (filter.runId === undefined || a.run_id === filter.runId) &&
          (filter.requestedBy === undefined || a.requested_by === filter.requestedBy),
      )
      .sort((a, b) =>
        a.created_at === b.created_at ? (a.approval_id < b.approval_id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1,
      );
    const start = cursor === undefined ? 0 : Number(cursor);
    const page = matching.slice(start, start + limit);
    return { approvals: page.map(clone), nextCursor: start + limit < matching.length ? String(start + limit) : null };
  }

  async decide(approvalId: string, decision: ApprovalDecision, grantTtlMs: number): Promise<DecideOutcome> {
    const approval = this.approvals.get(approvalId)?.approval;
    if (!approval) return { kind: 'not_found' };
    if (approval.status === 'pending' && Date.parse(approval.expires_at) <= this.now()) approval.status = 'expired';
    if (approval.status !== 'pending') return { kind: 'not_pending', status: approval.status };
    if (approval.decisions.some((d) => d.by === decision.by)) return { kind: 'already_decided' };
    approval.decisions.push({ ...decision });
    const approvals = approval.decisions.filter((d) => d.decision === 'approve').length;
    if (decision.decision === 'reject') {
      approval.status = 'rejected';
      approval.decided_at = decision.at;
    } else if (approvals >= approval.required_approvals) {
      approval.status = 'approved';
      approval.decided_at = decision.at;
      approval.expires_at = new Date(Date.parse(decision.at) + grantTtlMs).toISOString();
    }
    this.changed(approvalId);
    return { kind: 'recorded', approval: clone(approval) };
  }

  async setReceipt(approvalId: string, receipt: string): Promise<void> {
    const approval = this.approvals.get(approvalId)?.approval;
    if (approval) approval.receipt = receipt;
  }

  async cancel(approvalId: string, at: string): Promise<boolean> {
    const approval = this.approvals.get(approvalId)?.approval;
    if (!approval || approval.status !== 'pending' || Date.parse(approval.expires_at) <= this.now()) return false;
    approval.status = 'cancelled';
    approval.decided_at = at;
    this.changed(approvalId);
    return true;
  }

  async redeem(
    approvalId: string,
    use: { tenant: string; digest: string; runId: string | null; at: string },
  ): Promise<RedeemOutcome> {
    const approval = this.approvals.get(approvalId)?.approval;
    if (!approval || approval.tenant !== use.tenant) return { kind: 'refused', error: 'APPROVAL_NOT_FOUND' };
    const expired = Date.parse(approval.expires_at) <= this.now();
    if (approval.status === 'consumed') return { kind: 'refused', error: 'APPROVAL_CONSUMED' };
    if (approval.status === 'expired' || (approval.status === 'approved' && expired)) {
      return { kind: 'refused', error: 'APPROVAL_EXPIRED' };
    }
    if (approval.status !== 'approved') return { kind: 'refused', error: 'APPROVAL_NOT_APPROVED' };
    if (approval.action_digest !== use.digest || (approval.run_id !== null && approval.run_id !== use.runId)) {
      return { kind: 'refused', error: 'APPROVAL_MISMATCH' };
    }
    approval.status = 'consumed';
    approval.consumed_at = use.at;
    this.changed(approvalId);
    return { kind: 'redeemed', approval: clone(approval) };
  }

  async expire(approvalId: string, nowMs: number): Promise<boolean> {
    const approval = this.approvals.get(approvalId)?.approval;
    if (!approval || (approval.status !== 'pending' && approval.status !== 'approved')) return false;
    if (Date.parse(approval.expires_at) > nowMs) return false;
    approval.status = 'expired';
    this.changed(approvalId);
    return true;
  }

  async dueForExpiry(nowMs: number, limit: number): Promise<string[]> {
    return [...this.approvals.values()]
      .map((entry) => entry.approval)
      .filter((a) => (a.status === 'pending' || a.status === 'approved') && Date.parse(a.expires_at) <= nowMs)
      .slice(0, limit)
      .map((a) => a.approval_id);
  }

  onChange(listener: (approvalId: string) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  async close(): Promise<void> {
    this.changes.removeAllListeners();
  }

  async tenantVersion(tenant: string): Promise<number> {
    return this.versions.get(tenant) ?? 0;
  }

  private changed(approvalId: string): void {
    const tenant = this.approvals.get(approvalId)?.approval.tenant;
    if (tenant !== undefined) this.versions.set(tenant, (this.versions.get(tenant) ?? 0) + 1);
    this.changes.emit('change', approvalId);
  }

  private forgetOld(): void {
    const now = this.now();
    for (const [id, entry] of this.approvals) if (entry.forgetAtMs <= now) this.approvals.delete(id);
  }
}

function clone(approval: Approval): Approval {
  return structuredClone(approval);
}
