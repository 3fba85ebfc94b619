/** Where the Safety API listens when neither `baseUrl` nor `API_URL` says otherwise (the service's default port). */
export const DEFAULT_BASE_URL = 'http://localhost:8000';

export interface RetryOptions {
  /** Extra attempts after the first one, for retry-safe calls only (default 2). `0` turns retries off. */
  retries?: number;
  /** First backoff delay; doubled each attempt, with full jitter (default 200 ms). */
  baseDelayMs?: number;
  /** Longest backoff delay between two attempts (default 5000 ms). */
  maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this is not waited for: the call fails with the typed error
   * (which carries the delay) and the caller decides (default 30 000 ms).
   */
  maxRetryAfterMs?: number;
}

export interface SafetyClientOptions {
  /** An API key from the server's SAFETY_API_KEYS; sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Default timeout of each attempt, in milliseconds (default 10 000). */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Extra headers on every request (e.g. a tracing header). */
  headers?: Record<string, string>;
  /** Replacement for the global fetch (tests, proxies, instrumentation). */
  fetch?: (request: Request) => Promise<Response>;
}

/** Per-call options: every client method takes them last. */
export interface CallOptions {
  /** Cancels the call, including retries and backoff waits. */
  signal?: AbortSignal;
  /** Timeout of each attempt of this call, in milliseconds; overrides the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Sent as `X-Request-Id` (1-128 of `[A-Za-z0-9._:-]`), to correlate with server logs and the audit trail. */
  requestId?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRY: Required<RetryOptions> = {
  retries: 2,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
};

/**
 * The base URL a client talks to: the explicit one, else `API_URL` from the environment, else
 * http://localhost:8000. A trailing slash is dropped so paths join cleanly.
 */
export function resolveBaseUrl(baseUrl?: string): string {
  const env = typeof process !== 'undefined' ? process.env.API_URL : undefined;
  const chosen = baseUrl || env || DEFAULT_BASE_URL;
  return chosen.replace(/\/+$/, '');
}
