/** Which engine runs the commands. */
export type SandboxProviderName = 'local' | 'e2b';
export const SANDBOX_PROVIDER_NAMES: readonly SandboxProviderName[] = ['local', 'e2b'];

/** A live sandbox. `id` is all a caller needs to reach it again. */
export interface SandboxSession {
  id: string;
  provider: SandboxProviderName;
  template: string;
  createdAt: Date;
  /** The session is destroyed at this time whatever it is doing. */
  expiresAt: Date;
  /** Run the session belongs to; proxy decisions are logged with it. */
  runId?: string;
  /** Hosts (exact or `*.suffix`) the session may reach over HTTPS through the egress proxy. Empty = no network at all. */
  allowedDomains: string[];
}

export interface CreateSessionOptions {
  /** Session lifetime; capped by the provider's maximum. */
  ttlMs?: number;
  allowedDomains?: string[];
  runId?: string;
}

/** One file to place in the session's workspace. `path` is relative to /workspace. */
export interface UploadFile {
  path: string;
  content: Buffer | string;
}

export interface ExecuteOptions {
  /** Working directory relative to /workspace. */
  cwd?: string;
  /** Extra environment variables; the sandbox never inherits the service's environment. */
  env?: Record<string, string>;
  /**
   * Receives each stream's output as it is produced: exactly the bytes kept under the per-stream
   * cap, so the chunks of a stream joined are that stream's result. Safe execution redacts
   * output through this as it arrives.
   */
  onOutput?: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
  /** Aborting kills the command; the result then reports what ran until then. */
  signal?: AbortSignal;
}

/**
 * What a command did. Never an exception for the command's own failure:
 * a non-zero exit, a kill by the timeout and truncated output are all results.
 * Snake case because this is also the wire shape.
 */
export interface ExecuteResult {
  exit_code: number;
  stdout: string;
  stderr: string;
  timed_out: boolean;
  duration_ms: number;
  /** stdout or stderr went past the per-stream cap; the rest was discarded. */
  truncated: boolean;
}

/** The decision about one outbound connection attempt, as the egress proxy logs it. */
export interface EgressDecision {
  event: 'sandbox.egress';
  run_id: string | null;
  /** The session id (not named `session_id`: log redaction masks values of keys so named). */
  sandbox_session: string;
  kind: 'connect' | 'http';
  host: string;
  port: number;
  decision: 'allow' | 'deny';
  reason: string;
  /** Set when the policy was asked about this host. */
  decision_id?: string;
  timestamp: string;
}
