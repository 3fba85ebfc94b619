import type {
  CreateSessionOptions,
  ExecuteOptions,
  ExecuteResult,
  SandboxProviderName,
  SandboxSession,
  UploadFile,
} from '../sandbox.types';

/**
 * An engine that runs commands in isolation. Implementations: bubblewrap on
 * this host (`LocalBwrapSandboxProvider`) and the E2B cloud (`E2bSandboxProvider`).
 *
 * Contract (one suite, `sandboxProviderContract`, runs against every implementation):
 * - `execute` never throws for the command's own failure (non-zero exit, timeout,
 *   too much output); it throws only when the sandbox itself cannot be reached.
 * - `destroy` is idempotent and never throws for an unknown or already destroyed session.
 * - Errors are `SandboxError`s: SANDBOX_UNAVAILABLE when the engine is missing or
 *   down, SANDBOX_SESSION_NOT_FOUND, SANDBOX_UPLOAD_INVALID / _TOO_LARGE.
 */
export abstract class SandboxProvider {
  abstract readonly name: SandboxProviderName;

  abstract create(template: string, options?: CreateSessionOptions): Promise<SandboxSession>;

  abstract uploadFiles(session: SandboxSession, files: UploadFile[]): Promise<void>;

  abstract execute(
    session: SandboxSession,
    command: string,
    timeoutMs: number,
    options?: ExecuteOptions,
  ): Promise<ExecuteResult>;

  abstract destroy(session: SandboxSession): Promise<void>;

  /**
   * Reattaches a session created elsewhere (another replica) by id, or returns
   * undefined when this provider cannot (local sessions live on one host).
   */
  abstract reconnect(sessionId: string): Promise<SandboxSession | undefined>;

  /** Throws SANDBOX_UNAVAILABLE with what to install or configure when the engine cannot run. */
  abstract assertAvailable(): Promise<void>;
}
