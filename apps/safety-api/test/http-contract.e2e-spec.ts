import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createTestApp, createTestAppWithLogs } from './support/create-test-app';

/**
 * What every endpoint inherits from the foundation: problem+json for every
 * non-2xx, request ids, validation, auth. Exercised through real routes.
 */
const PROBLEM = /^application\/problem\+json/;
const CREATE = '/api/v1/safety/budget/create';
const CHECK = '/api/v1/safety/check';

function expectProblem(res: request.Response, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(PROBLEM);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.stringContaining(code.toLowerCase().replace(/_/g, '-')),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance: expect.any(String),
      code,
      request_id: res.headers['x-request-id'],
    }),
  );
}

describe('HTTP contract (auth off)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it('malformed JSON is 400 MALFORMED_JSON', async () => {
    const res = await http().post(CREATE).set('content-type', 'application/json').send('{"run_id": ');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('prototype-pollution keys are refused as malformed', async () => {
    const res = await http()
      .post(CREATE)
      .set('content-type', 'application/json')
      .send('{"run_id":"r","__proto__":{"x":1}}');
    expectProblem(res, 400, 'MALFORMED_JSON');
  });

  it('prototype and constructor keys at any depth are refused with their pointer, never silently dropped', async () => {
    // Nest's validation pipe deletes such keys before validating: without this refusal these bodies got 201/200.
    const cases: Array<[string, string, string]> = [
      [CREATE, '{"run_id":"contract-proto-1","prototype":{"polluted":true}}', '/prototype'],
      [CREATE, '{"run_id":"contract-proto-2","constructor":1}', '/constructor'],
      [CREATE, '{"run_id":"contract-proto-3","\\u0070rototype":{}}', '/prototype'],
      [CREATE, '{"run_id":"contract-proto-4","__proto__":{"polluted":true}}', '/__proto__'],
      [CHECK, '{"action":"execute_code","context":{"command":"ls","\\u005f_proto__":{}}}', '/context/__proto__'],
      [
        CHECK,
        '{"action":"execute_code","context":{"command":"ls","env":{"constructor":"x"}}}',
        '/context/env/constructor',
      ],
    ];
    for (const [url, body, pointer] of cases) {
      const res = await http().post(url).set('content-type', 'application/json').send(body);
      expectProblem(res, 400, 'MALFORMED_JSON');
      expect(res.body.detail).toContain(`forbidden prototype key at ${pointer}`);
    }
    const status = await http().get('/api/v1/safety/budget/contract-proto-1');
    expect(status.body.code).toBe('BUDGET_NOT_FOUND');
  });

  it('values that merely mention prototype or constructor are accepted', async () => {
    const res = await http()
      .post(CHECK)
      .send({ action: 'execute_code', context: { command: 'grep -r constructor.prototype src' } });
    expect(res.status).toBe(200);
  });

  it('unknown fields are 400 VALIDATION_FAILED with a pointer naming the field', async () => {
    const res = await http().post(CREATE).send({ run_id: 'contract-unknown', limit: 1, surprise: true });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual(
      expect.arrayContaining([{ pointer: '/surprise', detail: expect.stringContaining('surprise') }]),
    );
  });

  it('wrong types are 400 VALIDATION_FAILED naming the field, with no implicit conversion', async () => {
    const res = await http().post(CREATE).send({ run_id: 'contract-types', limit: '5' });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((error: { pointer: string }) => error.pointer)).toContain('/limit');
  });

  it('a run id of the longest valid length reaches the handler; a longer path parameter is 414 problem+json', async () => {
    const longest = 'r' + 'x'.repeat(127);
    expectProblem(await http().get(`/api/v1/safety/budget/${longest}`), 404, 'BUDGET_NOT_FOUND');
    expectProblem(await http().get(`/api/v1/safety/audit/${'a'.repeat(300)}`), 414, 'URI_TOO_LONG');
  });

  it('an invalid query parameter is 400 VALIDATION_FAILED that says it is the query string', async () => {
    const res = await http().get('/api/v1/safety/audit/contract-run?limit=abc');
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.detail).toMatch(/^The request query string is invalid: \/limit: /);
    expect(res.body.errors.map((error: { pointer: string }) => error.pointer)).toContain('/limit');
  });

  it('a bad limit is one clear error, and only plain digits count as a number, on every list endpoint', async () => {
    const rule = { pointer: '/limit', detail: 'limit must be an integer from 1 to 1000' };
    for (const path of ['/api/v1/safety/audit/contract-run', '/api/v1/safety/budget/contract-run/events']) {
      for (const limit of ['abc', '0', '1001', '0x10', '1e3', '2.5', '']) {
        const res = await http().get(`${path}?limit=${limit}`);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect({ limit, errors: res.body.errors }).toEqual({ limit, errors: [rule] });
      }
    }
  });

  it('prototype-named query parameters are unknown fields like any other, not silently ignored', async () => {
    for (const name of ['bogus', 'prototype', 'constructor', '__proto__']) {
      for (const url of [`/api/v1/safety/audit/contract-run?${name}=1`, `/api/v1/safety/budget/r/events?${name}=1`]) {
        const res = await http().get(url);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual([{ pointer: `/${name}`, detail: `unknown field ${name} is not allowed` }]);
        expect(res.body.detail).toMatch(/^The request query string is invalid/);
      }
    }
  });

  it('a malformed percent-encoding in the path is 400 problem+json', async () => {
    expectProblem(await http().get('/api/v1/safety/audit/%E0%A4%A'), 400, 'BAD_REQUEST');
  });

  it('reports one error per field: its type when that is what is wrong', async () => {
    for (const body of [{}, { run_id: 42 }]) {
      const res = await http().post(CREATE).send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ pointer: '/run_id', detail: 'run_id must be a string' }]);
    }
    const pattern = await http().post(CREATE).send({ run_id: 'has space' });
    expect(pattern.body.errors).toEqual([
      { pointer: '/run_id', detail: expect.stringMatching(/^run_id must be 1-128/) },
    ]);
  });

  it('a bad run id in a path is the same 400 VALIDATION_FAILED on every route that takes one', async () => {
    for (const path of [
      '/api/v1/safety/budget/bad%20id',
      '/api/v1/safety/budget/bad%20id/events',
      '/api/v1/safety/audit/bad%20id',
    ]) {
      const res = await http().get(path);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ pointer: '/run_id', detail: expect.stringMatching(/^run_id must be 1-128/) }]);
    }
  });

  it('a non-JSON content type is 415', async () => {
    const res = await http().post(CREATE).set('content-type', 'text/plain').send('run_id=x');
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.detail).toBe('Send the body as JSON, with Content-Type: application/json.');
  });

  it('a body over the limit is 413', async () => {
    const res = await http()
      .post(CREATE)
      .set('content-type', 'application/json')
      .send(JSON.stringify({ run_id: 'x'.repeat(3 * 1024 * 1024) }));
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    expect(res.body.detail).toBe(
      `The request body is larger than the limit of ${2 * 1024 * 1024} bytes (BODY_LIMIT_BYTES).`,
    );
  });

  it("a 12 MiB body over the limit reaches Node's fetch as a readable 413, every time", async () => {
    const listening = await createTestApp();
    try {
      await listening.listen(0, '127.0.0.1');
      const url = (await listening.getUrl()).replace('[::1]', '127.0.0.1');
      const body = JSON.stringify({ action: 'execute_code', context: { command: 'x'.repeat(12 * 1024 * 1024) } });
      for (let attempt = 0; attempt < 6; attempt++) {
        const res = await fetch(`${url}${CHECK}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        expect(res.status).toBe(413);
        expect(await res.json()).toMatchObject({
          code: 'PAYLOAD_TOO_LARGE',
          detail: expect.stringMatching(/limit of \d+ bytes/),
        });
      }
    } finally {
      await listening.close();
    }
  });

  it('an unknown route is 404 and a known path with the wrong method is 405 with Allow', async () => {
    expectProblem(await http().get('/api/v1/safety/nope'), 404, 'NOT_FOUND');
    const wrongMethod = await http().get(CREATE);
    expectProblem(wrongMethod, 405, 'METHOD_NOT_ALLOWED');
    expect(wrongMethod.headers.allow).toBe('POST');
  });

  it('echoes a valid X-Request-Id and replaces an invalid one', async () => {
    const kept = await http().get('/health/live').set('x-request-id', 'trace-123_abc');
    expect(kept.headers['x-request-id']).toBe('trace-123_abc');
    const replaced = await http().get('/api/v1/safety/nope').set('x-request-id', 'bad id with spaces and {braces}');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.body.request_id).toBe(replaced.headers['x-request-id']);
  });

  it('serves the OpenAPI document and Swagger UI without a key', async () => {
    const json = await http().get('/api/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(json.body.components.securitySchemes).toHaveProperty('api-key');
    expect(json.body.components.schemas).toHaveProperty('ProblemDetails');
    expect((await http().get('/api/docs')).status).toBe(200);
  });
});

describe('HTTP contract (auth on)', () => {
  const digestOfSecond = createHash('sha256').update('second-key-0001').digest('hex');
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp({ SAFETY_API_KEYS: `first-key-0001,sha256:${digestOfSecond}` });
  });
  afterAll(() => app.close());
  const check = () =>
    request(app.getHttpServer())
      .post(CHECK)
      .send({ action: 'execute_code', context: { command: 'npm test' } });

  it('a missing key is 401 problem+json', async () => {
    expectProblem(await check(), 401, 'UNAUTHORIZED');
  });

  it('a wrong key is 401 problem+json', async () => {
    expectProblem(await check().set('authorization', 'Bearer wrong-key'), 401, 'UNAUTHORIZED');
    expectProblem(await check().set('x-api-key', 'first-key-0002'), 401, 'UNAUTHORIZED');
  });

  it('accepts a plain key as Bearer and a digest-configured key as X-API-Key', async () => {
    expect((await check().set('authorization', 'Bearer first-key-0001')).status).toBe(200);
    expect((await check().set('x-api-key', 'second-key-0001')).status).toBe(200);
  });

  it('leaves health and docs public', async () => {
    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);
    expect((await request(app.getHttpServer()).get('/health/ready')).status).toBe(200);
    expect((await request(app.getHttpServer()).get('/api/docs-json')).status).toBe(200);
  });
});

describe('structured logs', () => {
  it('writes one JSON line per request with request id, route, status and latency, and no body', async () => {
    const { app, logs } = await createTestAppWithLogs();
    await request(app.getHttpServer())
      .post(CHECK)
      .set('x-request-id', 'log-trace-1')
      .send({ action: 'execute_code', context: { command: 'echo body-marker-7f3a' } });
    await app.close();
    const lines = logs.map((line) => JSON.parse(line));
    const requestLine = lines.find((line) => line.req?.route === CHECK && line.res);
    expect(requestLine).toMatchObject({
      request_id: 'log-trace-1',
      res: { status: 200 },
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(requestLine)).not.toContain('body-marker-7f3a');
  });
});

describe('secrets sent in a request never come back or reach the log', () => {
  const KEY = 'sk-proj-' + 'a1B2c3D4'.repeat(6);
  const MASK = '[REDACTED:OPENAI_API_KEY]';
  const ENCODED = [...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');

  it('problems, decision reasons and log lines are redacted: field names, path segments, domain errors, context keys', async () => {
    const { app, logs } = await createTestAppWithLogs();
    try {
      const http = () => request(app.getHttpServer());
      const answers = [
        await http()
          .post(CREATE)
          .send({ run_id: 'contract-secret', [KEY]: 1 }),
        await http().get(`/api/v1/safety/audit/contract-secret?${KEY}=1`),
        await http().get(`/api/v1/safety/budget/${KEY}`),
        await http().get(`/api/v1/safety/sandbox/sessions/${KEY}`),
        await http().get(`/api/v1/safety/nowhere/${KEY}`),
        await http().post(`/api/v1/safety/budget/reservations/${KEY}/release`),
        // Percent-encoded: the handler sees the key, and so must the log Redactor.
        await http().get(`/api/v1/safety/budget/${ENCODED}`),
      ];
      for (const res of answers) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.headers['content-type']).toMatch(PROBLEM);
        expect(res.text).not.toContain(KEY);
        expect(res.text).toContain(MASK);
      }
      expect(answers[0].body.errors).toEqual([{ pointer: `/${MASK}`, detail: `unknown field ${MASK} is not allowed` }]);
      expect(answers[2].body).toMatchObject({ code: 'BUDGET_NOT_FOUND', run_id: MASK });

      // Decision reasons quote the request; a secret in it comes back masked.
      const denied = await http()
        .post(CHECK)
        .send({ action: 'execute_code', context: { command: `rm -rf /etc/${KEY}` } });
      expect(denied.body.decision).toBe('deny');
      expect(denied.text).not.toContain(KEY);
      expect(denied.body.reason).toContain(MASK);

      // A secret as a context key reaches PolicyGate's decision log line only masked.
      const check = await http()
        .post(CHECK)
        .send({ action: 'execute_code', context: { command: 'ls', [KEY]: 'x' } });
      expect(check.status).toBeLessThan(500);
      expect(logs.join('\n')).not.toContain(KEY);
      expect(logs.join('\n')).not.toContain(ENCODED);
    } finally {
      await app.close();
    }
  });
});
