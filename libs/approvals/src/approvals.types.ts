/** Where an approval is in its life. Only `pending` and `approved` ever change again. */
export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled', 'consumed'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const APPROVAL_VERDICTS = ['approve', 'reject'] as const;
export type ApprovalVerdict = (typeof APPROVAL_VERDICTS)[number];

/** One human's answer. */
export interface ApprovalDecision {
  /** The approver's principal id. */
  by: string;
  decision: ApprovalVerdict;
  comment: string | null;
  at: string;
}

/**
 * A request for a human to let one exact action happen once. Snake case because this is also the
 * wire shape. `context` is stored as given to the service (the service's caller redacts it).
 */
export interface Approval {
  approval_id: string;
  status: ApprovalStatus;
  tenant: string;
  run_id: string | null;
  action: string;
  context: Record<string, unknown>;
  action_digest: string;
  requested_by: string;
  justification: string | null;
  /** The policy's reason for asking, and the rules that asked. */
  reason: string;
  rule_ids: string[];
  /** Distinct approvers needed; one reject rejects. */
  required_approvals: number;
  decisions: ApprovalDecision[];
  created_at: string;
  /** Pending: when the request lapses. Approved: when the unused grant lapses. */
  expires_at: string;
  decided_at: string | null;
  consumed_at: string | null;
  /** Compact JWS an executor can verify offline against the JWKS; set once approved. */
  receipt: string | null;
}

/** Why a grant could not be used (`POST /check` with `approval_id`). */
export const REDEEM_ERRORS = [
  'APPROVAL_MISMATCH',
  'APPROVAL_CONSUMED',
  'APPROVAL_EXPIRED',
  'APPROVAL_NOT_APPROVED',
] as const;
export type RedeemError = (typeof REDEEM_ERRORS)[number] | 'APPROVAL_NOT_FOUND';

export type RedeemResult = { ok: true; approval: Approval } | { ok: false; error: RedeemError };

export type ApprovalEventType =
  | 'approval.requested'
  | 'approval.approved'
  | 'approval.rejected'
  | 'approval.expired'
  | 'approval.cancelled'
  | 'approval.consumed'
  | 'approval.decision';

/** What happened to an approval; `by` is the principal that caused it (absent for expiry). */
export interface ApprovalEvent {
  type: ApprovalEventType;
  approval: Approval;
  by?: string;
  at: string;
}

export interface NewApprovalRequest {
  tenant: string;
  runId?: string;
  action: string;
  /** Already redacted; the digest is computed from `digestContext`. */
  context: Record<string, unknown>;
  /** The context as judged (unredacted): what the digest binds. */
  digestContext: Record<string, unknown>;
  requestedBy: string;
  justification?: string;
  reason: string;
  ruleIds: string[];
  requiredApprovals: number;
}

export interface ApprovalListFilter {
  tenant: string;
  status?: ApprovalStatus;
  runId?: string;
  requestedBy?: string;
}
