import type { Approval, ApprovalDecision, ApprovalListFilter, RedeemError } from '../approvals.types';

export type DecideOutcome =
  | { kind: 'not_found' }
  | { kind: 'not_pending'; status: Approval['status'] }
  | { kind: 'already_decided' }
  | { kind: 'recorded'; approval: Approval };

export type RedeemOutcome = { kind: 'redeemed'; approval: Approval } | { kind: 'refused'; error: RedeemError };

export interface ApprovalPage {
  approvals: Approval[];
  /** Pass back to get the next page; null when there is none. */
  nextCursor: string | null;
}

/**
 * Where approvals live. Every transition is atomic in the store (a Redis script, or one synchronous
 * step in memory), so concurrent decisions and uses cannot both win. One contract suite
 * (testing/approval-store.contract.ts) runs against every implementation.
 */
export abstract class ApprovalStore {
  /** Stores a new approval and points `dedupKey` at it. */
  abstract create(approval: Approval, dedupKey: string): Promise<void>;
  /** The approval `dedupKey` last pointed at, if it still exists. */
  abstract findByDedupKey(dedupKey: string): Promise<Approval | undefined>;
  abstract get(approvalId: string): Promise<Approval | undefined>;
  /** Newest first. */
  abstract list(filter: ApprovalListFilter, limit: number, cursor?: string): Promise<ApprovalPage>;
  /**
   * Records one approver's decision on a pending approval: a reject rejects; the
   * `required_approvals`-th distinct approve approves, and the grant then expires `grantTtlMs` later.
   */
  abstract decide(approvalId: string, decision: ApprovalDecision, grantTtlMs: number): Promise<DecideOutcome>;
  abstract setReceipt(approvalId: string, receipt: string): Promise<void>;
  /** pending → cancelled; false when it was not pending. */
  abstract cancel(approvalId: string, at: string): Promise<boolean>;
  /** approved, unexpired, same tenant, digest and run → consumed, for exactly one caller. */
  abstract redeem(
    approvalId: string,
    use: { tenant: string; digest: string; runId: string | null; at: string },
  ): Promise<RedeemOutcome>;
  /** Moves a pending or approved approval past its expiry to expired; true only for the call that did it. */
  abstract expire(approvalId: string, nowMs: number): Promise<boolean>;
  /** Ids of pending or approved approvals whose expiry is at or before `nowMs`. */
  abstract dueForExpiry(nowMs: number, limit: number): Promise<string[]>;
  /** A number that grows with every change to any approval of `tenant`: a list read after it includes those changes. */
  abstract tenantVersion(tenant: string): Promise<number>;
  /** Calls `listener` with the id of every approval that changes, on any replica. Returns an unsubscribe. */
  abstract onChange(listener: (approvalId: string) => void): () => void;
  abstract close(): Promise<void>;
}
