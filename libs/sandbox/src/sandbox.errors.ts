export const SANDBOX_ERROR_CODES = [
  'SANDBOX_UNAVAILABLE',
  'SANDBOX_SESSION_NOT_FOUND',
  'SANDBOX_TOO_MANY_SESSIONS',
  'SANDBOX_UPLOAD_INVALID',
  'SANDBOX_UPLOAD_TOO_LARGE',
  'SANDBOX_INVALID_ARGUMENT',
  'SANDBOX_TEMPLATE_UNKNOWN',
  'SANDBOX_PROVIDER_FAILED',
  'POLICY_DENIED',
  'POLICY_APPROVAL_REQUIRED',
  'DEPENDENCY_UNAVAILABLE',
] as const;
export type SandboxErrorCode = (typeof SANDBOX_ERROR_CODES)[number];

/**
 * Every failure the sandbox lib reports. `message` is safe to show a client
 * (it becomes the problem `detail`); `extensions` carry machine-readable facts
 * (the policy decision of a refused command, the cap that was hit).
 */
export class SandboxError extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

export function sessionNotFound(sessionId: string): SandboxError {
  return new SandboxError('SANDBOX_SESSION_NOT_FOUND', `Sandbox session not found: ${sessionId}`, { sessionId });
}

export function uploadInvalid(path: string, why: string): SandboxError {
  return new SandboxError('SANDBOX_UPLOAD_INVALID', `Upload path ${JSON.stringify(path)} is refused: ${why}.`, {
    path,
  });
}
