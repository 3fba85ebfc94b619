import createClient, { type Client } from 'openapi-fetch';
import {
  ConnectionError,
  errorFromProblem,
  isProblemDetails,
  RateLimitedError,
  RequestTimeoutError,
  type SafetyApiError,
} from '../client.errors';
import {
  type CallOptions,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  resolveBaseUrl,
  type RetryOptions,
  type SafetyClientOptions,
} from '../client.options';
import type { ProblemDetails } from '../client.types';
import type { paths } from '../generated/schema';
import { backoffDelay, isRetryableStatus, parseRetryAfter, sleep } from './retry-policy';

/** What one openapi-fetch call resolves to. */
interface AttemptResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Per-attempt request options handed to the typed openapi-fetch call. */
export interface AttemptInit {
  signal: AbortSignal;
  headers: Record<string, string>;
}

export interface SendOptions {
  /** May the call be sent again after a timeout, a dropped connection, 429 or 503? Only reads and idempotency-keyed writes. */
  retrySafe: boolean;
  /** Extra headers for this call (e.g. Idempotency-Key). */
  headers?: Record<string, string>;
  call?: CallOptions;
}

/**
 * The one place that talks HTTP: a typed openapi-fetch client over the generated
 * `paths`, plus what openapi-fetch leaves to the caller: per-attempt timeouts
 * (AbortSignal), retries only where they are safe, backoff that honours
 * `Retry-After`, and problem+json turned into typed errors.
 */
export class SafetyHttp {
  readonly baseUrl: string;
  readonly api: Client<paths>;
  private readonly timeoutMs: number;
  private readonly retry: Required<RetryOptions>;
  private readonly headers: Record<string, string>;
  private readonly fetchImpl: (request: Request) => Promise<Response>;

  constructor(baseUrl?: string, options: SafetyClientOptions = {}) {
    this.baseUrl = resolveBaseUrl(baseUrl);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    const headers: Record<string, string> = {
      accept: 'application/json, application/problem+json',
      ...options.headers,
    };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    this.headers = headers;
    this.fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.api = createClient<paths>({ baseUrl: this.baseUrl, headers, fetch: this.fetchImpl });
  }

  /**
   * Runs `attempt` (one typed openapi-fetch call) until it succeeds, fails for
   * good, or runs out of retries. Resolves with the parsed 2xx body.
   */
  async send<T>(
    label: string,
    attempt: (init: AttemptInit) => Promise<AttemptResult<T>>,
    options: SendOptions,
  ): Promise<T> {
    const { call } = options;
    const timeoutMs = call?.timeoutMs ?? this.timeoutMs;
    const headers = { ...options.headers, ...(call?.requestId ? { 'x-request-id': call.requestId } : {}) };
    const maxRetries = options.retrySafe ? this.retry.retries : 0;
    for (let attemptNo = 0; ; attemptNo++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = call?.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
      let result: AttemptResult<T>;
      try {
        result = await attempt({ signal, headers });
      } catch (cause) {
        if (call?.signal?.aborted) throw call.signal.reason;
        // A 2xx body that is not JSON is a server bug, not a transient failure.
        if (cause instanceof SyntaxError) throw cause;
        const failure = timeout.aborted
          ? new RequestTimeoutError(label, this.baseUrl, timeoutMs)
          : new ConnectionError(label, this.baseUrl, cause);
        if (attemptNo >= maxRetries) throw failure;
        await sleep(backoffDelay(attemptNo, this.retry), call?.signal);
        continue;
      }
      if (result.response.ok) return result.data as T;

      const error = toTypedError(result.response, result.error);
      if (attemptNo < maxRetries && isRetryableStatus(result.response.status)) {
        const retryAfter = parseRetryAfter(result.response.headers.get('retry-after'));
        if (retryAfter === undefined || retryAfter <= this.retry.maxRetryAfterMs) {
          await sleep(retryAfter ?? backoffDelay(attemptNo, this.retry), call?.signal);
          continue;
        }
      }
      throw error;
    }
  }
}

function toTypedError(response: Response, body: unknown): SafetyApiError {
  const problem: ProblemDetails = isProblemDetails(body) ? body : problemFromForeignBody(response, body);
  const error = errorFromProblem(problem);
  if (error instanceof RateLimitedError) error.retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return error;
}

/**
 * A non-2xx that is not our problem+json (a proxy's HTML page, an empty 502):
 * still a typed error by status, with the body kept as the detail.
 */
function problemFromForeignBody(response: Response, body: unknown): ProblemDetails {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.slice(0, 500),
    instance: new URL(response.url || 'http://unknown/').pathname,
    code: `HTTP_${response.status}`,
    request_id: response.headers.get('x-request-id') ?? '',
  };
}
