import { Webhook } from 'standardwebhooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, type IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { createTestApp, createTestAppWithLogs } from './support/create-test-app';

type Reply = { status: number; body: Record<string, unknown>; headers: Record<string, unknown> };

const stores: [string, () => Record<string, string>][] = [
  ['Redis ledger (real redis-server)', () => ({ REDIS_URL: requireTestRedisUrl() })],
  ['embedded in-memory ledger', () => ({})],
];

describe.each(stores)('budget HTTP API over the %s', (_name, env) => {
  let app: NestFastifyApplication;
  const tag = randomBytes(4).toString('hex');
  let counter = 0;
  const runId = (label = 'run') => `${label}-${tag}-${(counter += 1)}`;

  beforeAll(async () => {
    app = await createTestApp({ ...env(), RATE_LIMIT_MAX: '0' });
  });
  afterAll(async () => {
    await app?.close();
  });

  const call = async (
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ): Promise<Reply> => {
    const res = await app.inject({ method, url: `/api/v1/safety/budget${url}`, payload, headers });
    return { status: res.statusCode, body: JSON.parse(res.body), headers: res.headers };
  };

  it('runs the product example: create run-123 with 10.0, can-spend 0.05, spend 0.05, status', async () => {
    const id = runId('run-123');
    const created = await call('POST', '/create', { run_id: id, limit: 10.0 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      run_id: id,
      limit: 10,
      spent: 0,
      reserved: 0,
      remaining: 10,
      exceeded: false,
      fraction_used: 0,
      percent_used: 0,
      state: 'active',
      thresholds_crossed: [],
    });
    for (const field of ['created_at', 'updated_at', 'expires_at'])
      expect(Date.parse(created.body[field] as string)).not.toBeNaN();

    expect(await call('POST', '/can-spend', { run_id: id, amount: 0.05 })).toMatchObject({
      status: 200,
      body: { run_id: id, amount: 0.05, can_spend: true, remaining: 10 },
    });
    expect(await call('POST', '/spend', { run_id: id, amount: 0.05 })).toMatchObject({
      status: 200,
      body: { run_id: id, spent: 0.05, remaining: 9.95, replayed: false },
    });
    expect(await call('GET', `/${id}`)).toMatchObject({
      status: 200,
      body: { limit: 10, spent: 0.05, remaining: 9.95, state: 'active' },
    });
  });

  it('says "Budget not found for run_id: xyz" for an unknown run', async () => {
    const res = await call('POST', '/spend', { run_id: 'xyz', amount: 0.05 });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'BUDGET_NOT_FOUND',
      detail: 'Budget not found for run_id: xyz',
      status: 404,
    });
    expect((await call('GET', '/xyz')).status).toBe(404);
    expect((await call('POST', '/can-spend', { run_id: 'xyz', amount: 0.05 })).body.code).toBe('BUDGET_NOT_FOUND');
  });

  it('defaults the limit, refuses a limit above the maximum (400) and a second create (409)', async () => {
    const id = runId();
    expect((await call('POST', '/create', { run_id: id })).body).toMatchObject({
      limit: 10,
      alert_thresholds: [0.5, 0.8, 1],
    });
    expect((await call('POST', '/create', { run_id: id, limit: 1 })).body).toMatchObject({
      status: 409,
      code: 'BUDGET_ALREADY_EXISTS',
    });
    expect((await call('POST', '/create', { run_id: runId(), limit: 100.5 })).body).toMatchObject({
      status: 400,
      code: 'BUDGET_LIMIT_TOO_HIGH',
      max_limit: 100,
    });
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['a 7th decimal', 0.0000001],
    ['a string', '0.05'],
    ['null', null],
    ['a boolean', true],
    ['an object', { usd: 1 }],
  ])('refuses an amount that is %s with 400 naming the field, and changes nothing', async (_label, amount) => {
    const id = runId();
    await call('POST', '/create', { run_id: id, limit: 1 });
    const before = await call('GET', `/${id}`);
    for (const url of ['/spend', '/can-spend', '/reserve']) {
      const res = await call('POST', url, { run_id: id, amount });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ pointer: '/amount' })]));
    }
    expect((await call('GET', `/${id}`)).body).toEqual(before.body);
  });

  it('refuses amounts beyond MAX_RUN_BUDGET, NaN-like JSON, and unknown fields', async () => {
    const id = runId();
    await call('POST', '/create', { run_id: id, limit: 1 });
    expect((await call('POST', '/spend', { run_id: id, amount: 1000 })).body).toMatchObject({
      status: 400,
      code: 'BUDGET_INVALID_AMOUNT',
    });
    const nan = await app.inject({
      method: 'POST',
      url: '/api/v1/safety/budget/spend',
      headers: { 'content-type': 'application/json' },
      payload: `{"run_id":"${id}","amount":NaN}`,
    });
    expect(nan.statusCode).toBe(400);
    expect((await call('POST', '/spend', { run_id: id, amount: 0.1, extra: 1 })).body.code).toBe('VALIDATION_FAILED');
    expect((await call('GET', `/${id}`)).body.spent).toBe(0);
  });

  it('answers 402 with the remaining amount and records nothing; allow_overage records and marks exceeded', async () => {
    const id = runId();
    await call('POST', '/create', { run_id: id, limit: 1 });
    await call('POST', '/spend', { run_id: id, amount: 0.7 });
    const refused = await call('POST', '/spend', { run_id: id, amount: 0.5 });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      remaining: 0.3,
      spent: 0.7,
      limit: 1,
      amount: 0.5,
      run_id: id,
    });
    expect((await call('GET', `/${id}`)).body.spent).toBe(0.7);
    const over = await call('POST', '/spend', { run_id: id, amount: 0.5, allow_overage: true });
    expect(over).toMatchObject({ status: 200, body: { spent: 1.2, remaining: 0, exceeded: true, state: 'exhausted' } });
  });

  it('ten spends of 0.1 give spent: 1 exactly', async () => {
    const id = runId();
    await call('POST', '/create', { run_id: id, limit: 1 });
    for (let i = 0; i < 10; i += 1)
      expect((await call('POST', '/spend', { run_id: id, amount: 0.1 })).status).toBe(200);
    const res = await app.inject({ method: 'GET', url: `/api/v1/safety/budget/${id}` });
    expect(res.body).toContain('"spent":1,');
    expect(JSON.parse(res.body)).toMatchObject({
      remaining: 0,
      state: 'exhausted',
      fraction_used: 1,
      percent_used: 100,
    });
  });

  it('idempotency: header or body key replays the first result; another body is 409; header and body must agree', async () => {
    const id = runId();
    await call('POST', '/create', { run_id: id, limit: 1 });
    const first = await call('POST', '/spend', { run_id: id, amount: 0.2 }, { 'idempotency-key': 'h-1' });
    const again = await call('POST', '/spend', { run_id: id, amount: 0.2, idempotency_key: 'h-1' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(
      (await call('POST', '/spend', { run_id: id, amount: 0.3 }, { 'idempotency-key': 'h-1' })).body,
    ).toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const mismatch = await call(
      'POST',
      '/spend',
      { run_id: id, amount: 0.2, idempotency_key: 'a' },
      { 'idempotency-key': 'b' },
    );
    expect(mismatch.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((await call('GET', `/${id}`)).body.spent).toBe(0.2);
  });

  it('reservations: reserve 201, commit spends and frees, release frees, errors are coded', async () => {
    const id = runId();
    await call('POST', '/create', { run_id: id, limit: 1 });
    const hold = await call('POST', '/reserve', { run_id: id, amount: 0.6, ttl_seconds: 60 });
    expect(hold).toMatchObject({ status: 201, body: { run_id: id, amount: 0.6, status: 'held' } });
    expect((await call('GET', `/${id}`)).body).toMatchObject({ reserved: 0.6, remaining: 0.4 });
    expect((await call('POST', '/reserve', { run_id: id, amount: 0.5 })).status).toBe(402);
    const reservationId = hold.body.reservation_id as string;
    expect((await call('POST', `/reservations/${reservationId}/commit`, { amount: 0.7 })).body).toMatchObject({
      status: 422,
      code: 'RESERVATION_AMOUNT_EXCEEDED',
      reserved_amount: 0.6,
    });
    const committed = await call('POST', `/reservations/${reservationId}/commit`, { amount: 0.4 });
    expect(committed).toMatchObject({
      status: 200,
      body: {
        status: 'committed',
        committed_amount: 0.4,
        replayed: false,
        budget: { spent: 0.4, reserved: 0, remaining: 0.6 },
      },
    });
    expect((await call('POST', `/reservations/${reservationId}/release`)).body.code).toBe(
      'RESERVATION_ALREADY_SETTLED',
    );
    const second = await call('POST', '/reserve', { run_id: id, amount: 0.1 });
    const released = await call('POST', `/reservations/${second.body.reservation_id}/release`);
    expect(released).toMatchObject({ status: 200, body: { status: 'released', budget: { reserved: 0 } } });
    expect((await call('POST', '/reservations/rsv.bm9uZQ.AAAAAAAAAAAAAAAA/release')).body.code).toBe(
      'BUDGET_NOT_FOUND',
    );
    expect((await call('POST', '/reservations/garbage/commit', { amount: 0.1 })).body).toMatchObject({
      status: 404,
      code: 'RESERVATION_NOT_FOUND',
    });
  });

  it('lists a run’s events with paging', async () => {
    const id = runId();
    await call('POST', '/create', { run_id: id, limit: 1 });
    await call('POST', '/spend', { run_id: id, amount: 0.6 });
    const page = await call('GET', `/${id}/events?limit=2`);
    expect(page.status).toBe(200);
    expect((page.body.events as { type: string }[]).map((event) => event.type)).toEqual(['budget_created', 'spent']);
    const rest = await call('GET', `/${id}/events?after=${page.body.next_after as string}`);
    expect(rest.body).toMatchObject({
      events: [{ type: 'threshold_crossed', threshold: 0.5, spent: 0.6 }],
      next_after: null,
    });
    expect((await call('GET', `/${id}/events?limit=0`)).body.code).toBe('VALIDATION_FAILED');
  });

  it('GET on a POST-only path is 405, not a run lookup', async () => {
    const res = await call('GET', '/spend');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  describe('concurrency over HTTP', () => {
    it('200 parallel spends of 0.05 against 1.00: exactly 20 × 200, 180 × 402, spent 1', async () => {
      const id = runId();
      await call('POST', '/create', { run_id: id, limit: 1 });
      const replies = await Promise.all(
        Array.from({ length: 200 }, () => call('POST', '/spend', { run_id: id, amount: 0.05 })),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(20);
      expect(statuses.filter((status) => status === 402)).toHaveLength(180);
      expect(replies.every((reply) => (reply.body.remaining as number) >= 0)).toBe(true);
      expect((await call('GET', `/${id}`)).body).toMatchObject({ spent: 1, remaining: 0 });
    });

    it('500 parallel retries of one idempotent spend apply it once', async () => {
      const id = runId();
      await call('POST', '/create', { run_id: id, limit: 1 });
      const replies = await Promise.all(
        Array.from({ length: 500 }, () =>
          call('POST', '/spend', { run_id: id, amount: 0.05 }, { 'idempotency-key': 'same-call' }),
        ),
      );
      expect(new Set(replies.map((reply) => reply.status))).toEqual(new Set([200]));
      expect(replies.filter((reply) => reply.body.replayed === false)).toHaveLength(1);
      expect((await call('GET', `/${id}`)).body.spent).toBe(0.05);
    });

    it('concurrent reservations never exceed the limit', async () => {
      const id = runId();
      await call('POST', '/create', { run_id: id, limit: 1 });
      const replies = await Promise.all(
        Array.from({ length: 100 }, () => call('POST', '/reserve', { run_id: id, amount: 0.03 })),
      );
      expect(replies.filter((reply) => reply.status === 201)).toHaveLength(33);
      expect(replies.filter((reply) => reply.status === 402)).toHaveLength(67);
      expect((await call('GET', `/${id}`)).body).toMatchObject({ reserved: 0.99, remaining: 0.01, spent: 0 });
    });

    it('a threshold crossed by a concurrent burst fires once', async () => {
      const id = runId();
      await call('POST', '/create', { run_id: id, limit: 1, alert_thresholds: [0.5] });
      await Promise.all(Array.from({ length: 150 }, () => call('POST', '/spend', { run_id: id, amount: 0.01 })));
      const events = (await call('GET', `/${id}/events?limit=1000`)).body.events as { type: string; spent: number }[];
      expect(events.filter((event) => event.type === 'threshold_crossed')).toEqual([
        expect.objectContaining({ spent: 0.5 }),
      ]);
      expect((await call('GET', `/${id}`)).body).toMatchObject({ spent: 1, thresholds_crossed: [0.5] });
    });
  });
});

describe('budget alerts reach the webhook, once per threshold, retried on failure', () => {
  let server: Server;
  let app: NestFastifyApplication;
  const received: {
    body: Record<string, unknown>;
    key: string | undefined;
    raw: string;
    headers: IncomingHttpHeaders;
  }[] = [];
  const secret = `whsec_${Buffer.from('budget-alerts-webhook-secret-32b').toString('base64')}`;
  let failuresLeft = 2;
  let logs: string[];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          response.writeHead(503).end();
          return;
        }
        received.push({
          body: JSON.parse(raw),
          key: request.headers['idempotency-key'] as string | undefined,
          raw,
          headers: request.headers,
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/budget?token=secret-token`;
    ({ app, logs } = await createTestAppWithLogs({
      REDIS_URL: requireTestRedisUrl(),
      BUDGET_ALERT_WEBHOOK_URL: url,
      BUDGET_ALERT_WEBHOOK_SECRET: secret,
      RATE_LIMIT_MAX: '0',
    }));
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs each crossed threshold once with an Idempotency-Key, after retrying 503s', async () => {
    const id = `webhook-${randomBytes(4).toString('hex')}`;
    const post = (url: string, payload: object) =>
      app.inject({ method: 'POST', url: `/api/v1/safety/budget${url}`, payload });
    await post('/create', { run_id: id, limit: 1, alert_thresholds: [0.5, 1] });
    await Promise.all(Array.from({ length: 120 }, () => post('/spend', { run_id: id, amount: 0.01 })));
    const deadline = Date.now() + 10_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.map((entry) => [entry.body.type, entry.body.threshold, entry.body.run_id])).toEqual(
      expect.arrayContaining([
        ['budget.threshold_crossed', 0.5, id],
        ['budget.threshold_crossed', 1, id],
      ]),
    );
    expect(received).toHaveLength(2);
    expect(received.every((entry) => entry.key === entry.body.alert_id)).toBe(true);
    // Signed per Standard Webhooks, the alert id as webhook-id.
    const verifier = new Webhook(secret);
    for (const entry of received) {
      expect(verifier.verify(entry.raw, entry.headers as unknown as Record<string, string>)).toEqual(entry.body);
      expect(entry.headers['webhook-id']).toBe(entry.body.alert_id);
    }
    // The webhook URL (and its token) never reaches the logs.
    expect(logs.join('\n')).not.toContain('secret-token');
  });
});
