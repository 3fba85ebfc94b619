export const APPROVAL_ERROR_CODES = [
  'APPROVAL_NOT_FOUND',
  'APPROVAL_NOT_PENDING',
  'SELF_APPROVAL',
  'APPROVAL_NOT_REQUESTER',
  'DEPENDENCY_UNAVAILABLE',
] as const;
export type ApprovalErrorCode = (typeof APPROVAL_ERROR_CODES)[number];

/** A coded approvals error; the app maps each code to an HTTP status. */
export class ApprovalError extends Error {
  constructor(
    readonly code: ApprovalErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApprovalError';
  }
}

export function approvalNotFound(approvalId: string): ApprovalError {
  return new ApprovalError('APPROVAL_NOT_FOUND', `Approval not found: ${approvalId}`, { approvalId });
}
