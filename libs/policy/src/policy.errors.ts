export const POLICY_ERROR_CODES = [
  'POLICY_UNKNOWN_ACTION',
  'POLICY_INVALID_CONTEXT',
  'POLICY_FILE_INVALID',
  'POLICY_INVALID',
  'POLICY_TEST_INVALID',
  'POLICY_NOT_READY',
] as const;
export type PolicyErrorCode = (typeof POLICY_ERROR_CODES)[number];

export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}
