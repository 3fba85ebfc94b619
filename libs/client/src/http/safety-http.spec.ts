import { BudgetClient } from '../budget.client';
import {
  BudgetExceededError,
  BudgetNotFoundError,
  ConnectionError,
  RateLimitedError,
  RequestTimeoutError,
  ServiceUnavailableError,
  UnauthorizedError,
} from '../client.errors';
import { resolveBaseUrl } from '../client.options';
import { parseRetryAfter } from './retry-policy';

/**
 * The transport against a scripted fetch: which calls are retried, how often,
 * after what, and what error comes out. (The real server is exercised by the
 * client e2e suite.)
 */
type Reply = Response | 'hang' | 'refuse';

function scriptedFetch(replies: Reply[]) {
  const requests: Request[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    requests.push(request.clone());
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
    if (reply === 'refuse') throw new TypeError('fetch failed');
    if (reply === 'hang') {
      return new Promise((_resolve, reject) =>
        request.signal.addEventListener('abort', () => reject(request.signal.reason)),
      );
    }
    return reply.clone();
  };
  return { fetch, requests };
}

const STATUS = {
  run_id: 'run-1',
  limit: 10,
  spent: 0,
  reserved: 0,
  remaining: 10,
  exceeded: false,
  fraction_used: 0,
  percent_used: 0,
  state: 'active',
  thresholds_crossed: [],
  alert_thresholds: [0.5, 0.8, 1],
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
  expires_at: '2025-01-08T00:00:00.000Z',
};

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function problem(
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = {
    type: `urn:safety-api:problem:${code}`,
    title: code,
    status,
    detail: `${code} happened`,
    instance: '/x',
    code,
    request_id: 'req-1',
    ...extra,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

const FAST_RETRY = { retries: 2, baseDelayMs: 1, maxDelayMs: 2 };

describe('SafetyHttp (through BudgetClient)', () => {
  it('retries a read after 503 and returns the answer', async () => {
    const { fetch, requests } = scriptedFetch([problem(503, 'DEPENDENCY_UNAVAILABLE'), json(STATUS)]);
    const client = new BudgetClient('http://api.test', { fetch, retry: FAST_RETRY });
    await expect(client.getStatus('run-1')).resolves.toEqual(STATUS);
    expect(requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET http://api.test/api/v1/safety/budget/run-1',
      'GET http://api.test/api/v1/safety/budget/run-1',
    ]);
  });

  it('gives up after the configured retries with the typed error', async () => {
    const { fetch, requests } = scriptedFetch([problem(503, 'DEPENDENCY_UNAVAILABLE')]);
    const client = new BudgetClient('http://api.test', { fetch, retry: FAST_RETRY });
    await expect(client.getStatus('run-1')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(requests).toHaveLength(3);
  });

  it('never retries a write without an idempotency key (reserve)', async () => {
    const { fetch, requests } = scriptedFetch([problem(503, 'DEPENDENCY_UNAVAILABLE'), json({})]);
    const client = new BudgetClient('http://api.test', { fetch, retry: FAST_RETRY });
    await expect(client.reserve('run-1', 1)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(requests).toHaveLength(1);
  });

  it('retries a spend with the same generated idempotency key', async () => {
    const { fetch, requests } = scriptedFetch([
      'refuse',
      problem(503, 'DEPENDENCY_UNAVAILABLE'),
      json({ ...STATUS, amount: 1, replayed: false }),
    ]);
    const client = new BudgetClient('http://api.test', { fetch, retry: FAST_RETRY });
    await client.spend('run-1', 1);
    const keys = await Promise.all(requests.map(async (request) => (await request.json()).idempotency_key));
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('two spends get two different idempotency keys, and a caller key is sent as given', async () => {
    const { fetch, requests } = scriptedFetch([json({ ...STATUS, amount: 1, replayed: false })]);
    const client = new BudgetClient('http://api.test', { fetch });
    await client.spend('run-1', 1);
    await client.spend('run-1', 1);
    await client.spend('run-1', 1, { idempotencyKey: 'tool-call-42' });
    const keys = await Promise.all(requests.map(async (request) => (await request.json()).idempotency_key));
    expect(keys[0]).not.toEqual(keys[1]);
    expect(keys[2]).toBe('tool-call-42');
  });

  it('waits for a short Retry-After, and does not wait for a long one', async () => {
    const short = scriptedFetch([problem(429, 'RATE_LIMITED', {}, { 'retry-after': '0' }), json(STATUS)]);
    await expect(
      new BudgetClient('http://api.test', { fetch: short.fetch, retry: FAST_RETRY }).getStatus('run-1'),
    ).resolves.toEqual(STATUS);
    expect(short.requests).toHaveLength(2);

    const long = scriptedFetch([problem(429, 'RATE_LIMITED', {}, { 'retry-after': '120' })]);
    const error = await new BudgetClient('http://api.test', { fetch: long.fetch, retry: FAST_RETRY })
      .getStatus('run-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(120_000);
    expect(long.requests).toHaveLength(1);
  });

  it('does not retry client errors, and maps each code to its class with the problem attached', async () => {
    const { fetch, requests } = scriptedFetch([problem(404, 'BUDGET_NOT_FOUND')]);
    const error = await new BudgetClient('http://api.test', { fetch, retry: FAST_RETRY })
      .getStatus('xyz')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetNotFoundError);
    expect((error as BudgetNotFoundError).problem.request_id).toBe('req-1');
    expect((error as BudgetNotFoundError).message).toBe('BUDGET_NOT_FOUND happened');
    expect(requests).toHaveLength(1);
  });

  it('a code this client does not know falls back to the class of its status', async () => {
    const { fetch } = scriptedFetch([problem(402, 'SOMETHING_NEW', { remaining: 0.5 })]);
    const error = await new BudgetClient('http://api.test', { fetch }).reserve('run-1', 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).code).toBe('SOMETHING_NEW');
    expect((error as BudgetExceededError).remaining).toBe(0.5);
  });

  it('a non-problem error body (a proxy page) is still typed by status', async () => {
    const { fetch } = scriptedFetch([
      new Response('<html>bad gateway</html>', { status: 401, headers: { 'content-type': 'text/html' } }),
    ]);
    const error = await new BudgetClient('http://api.test', { fetch }).getStatus('run-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).problem.detail).toContain('bad gateway');
  });

  it('times out each attempt and reports RequestTimeoutError after the retries', async () => {
    const { fetch, requests } = scriptedFetch(['hang']);
    const client = new BudgetClient('http://api.test', { fetch, timeoutMs: 20, retry: { ...FAST_RETRY, retries: 1 } });
    await expect(client.getStatus('run-1')).rejects.toBeInstanceOf(RequestTimeoutError);
    expect(requests).toHaveLength(2);
  });

  it('a per-call timeout overrides the client default; a caller abort is not retried', async () => {
    const hang = scriptedFetch(['hang']);
    const client = new BudgetClient('http://api.test', {
      fetch: hang.fetch,
      timeoutMs: 60_000,
      retry: { ...FAST_RETRY, retries: 0 },
    });
    await expect(client.getStatus('run-1', { timeoutMs: 10 })).rejects.toBeInstanceOf(RequestTimeoutError);

    const controller = new AbortController();
    const pending = new BudgetClient('http://api.test', { fetch: hang.fetch, retry: FAST_RETRY }).getStatus('run-1', {
      signal: controller.signal,
    });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
    expect(hang.requests).toHaveLength(2);
  });

  it('a refused connection is a ConnectionError', async () => {
    const { fetch } = scriptedFetch(['refuse']);
    await expect(
      new BudgetClient('http://api.test', { fetch, retry: { retries: 0 } }).getStatus('run-1'),
    ).rejects.toBeInstanceOf(ConnectionError);
  });

  it('sends the API key as a bearer token, and a request id when given', async () => {
    const { fetch, requests } = scriptedFetch([json(STATUS)]);
    await new BudgetClient('http://api.test/', { fetch, apiKey: 'k-1' }).getStatus('run-1', { requestId: 'trace-7' });
    expect(requests[0].headers.get('authorization')).toBe('Bearer k-1');
    expect(requests[0].headers.get('x-request-id')).toBe('trace-7');
    expect(requests[0].url).toBe('http://api.test/api/v1/safety/budget/run-1');
  });

  it('enforceLimit throws BudgetExceededError with the remaining amount when the spend would not fit', async () => {
    const { fetch } = scriptedFetch([json({ run_id: 'run-1', amount: 5, can_spend: false, remaining: 0.25 })]);
    const error = await new BudgetClient('http://api.test', { fetch })
      .enforceLimit('run-1', 5)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect((error as BudgetExceededError).remaining).toBe(0.25);
  });
});

describe('resolveBaseUrl', () => {
  const saved = process.env.API_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.API_URL;
    else process.env.API_URL = saved;
  });

  it('prefers the argument, then API_URL, then http://localhost:8000', () => {
    process.env.API_URL = 'http://from-env:9000/';
    expect(resolveBaseUrl('http://explicit:1')).toBe('http://explicit:1');
    expect(resolveBaseUrl()).toBe('http://from-env:9000');
    delete process.env.API_URL;
    expect(resolveBaseUrl()).toBe('http://localhost:8000');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
