import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { ResponseObject } from '@nestjs/swagger';
import fc from 'fast-check';
import Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeDir, startRedisServer, TestRedisServer } from '../../../test/support/redis-server';
import { documentedCodes } from '../src/openapi/body-problems';
import { createTestApp } from './support/create-test-app';

/**
 * Every endpoint receives FUZZ_RUNS generated malformed or hostile bodies:
 * wrong types, huge strings, deep nesting, prototype-pollution keys, invalid
 * UTF-8, NaN-like numbers. Nothing may answer 5xx or a non-problem error,
 * every problem's status and code must be documented for that operation in the
 * committed openapi.json, the process keeps serving and no state changes: the
 * app runs on its own Redis, whose whole keyspace (but the audit streams, which
 * record refused attempts by design) must be byte for byte the same after each
 * endpoint's run. Only two endpoints may succeed, because a generated body can be
 * valid there and success changes nothing: any string is a `text` to redact, and
 * `{}` is a session request (each session created that way is destroyed and its
 * deletion checked). Every body sent elsewhere carries an unknown top-level key,
 * so no generated body can be a valid request, and any 2xx there fails the test.
 */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** Endpoints where a generated body may be valid and succeed without changing state. */
const MAY_SUCCEED = new Set(['/api/v1/safety/redact', '/api/v1/safety/sandbox/sessions']);
const RUN = 'fuzz-guard-run';

/** `path` is the operation's template in the committed openapi.json. */
const ENDPOINTS: Array<{ method: 'POST' | 'GET'; url: string; path?: string }> = [
  { method: 'POST', url: '/api/v1/safety/check' },
  { method: 'POST', url: '/api/v1/safety/budget/create' },
  { method: 'POST', url: '/api/v1/safety/budget/spend' },
  { method: 'POST', url: '/api/v1/safety/budget/can-spend' },
  { method: 'POST', url: '/api/v1/safety/budget/reserve' },
  {
    method: 'POST',
    url: '/api/v1/safety/budget/reservations/fuzz-reservation/commit',
    path: '/api/v1/safety/budget/reservations/{id}/commit',
  },
  {
    method: 'POST',
    url: '/api/v1/safety/budget/reservations/fuzz-reservation/release',
    path: '/api/v1/safety/budget/reservations/{id}/release',
  },
  { method: 'POST', url: '/api/v1/safety/redact' },
  { method: 'POST', url: '/api/v1/safety/sandbox/execute' },
  { method: 'POST', url: '/api/v1/safety/sandbox/sessions' },
  {
    method: 'POST',
    url: '/api/v1/safety/sandbox/sessions/fuzz-session/files',
    path: '/api/v1/safety/sandbox/sessions/{session_id}/files',
  },
  {
    method: 'POST',
    url: '/api/v1/safety/sandbox/sessions/fuzz-session/execute',
    path: '/api/v1/safety/sandbox/sessions/{session_id}/execute',
  },
  { method: 'POST', url: '/api/v1/safety/approvals' },
  {
    method: 'POST',
    url: '/api/v1/safety/approvals/apr_00000000000000000000000000000000/decision',
    path: '/api/v1/safety/approvals/{id}/decision',
  },
];

type Operation = { responses: Record<string, ResponseObject> };
const OPENAPI = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'run_id',
  'amount',
  'limit',
  'action',
  'context',
  'text',
  'command',
  'files',
  '',
  'a'.repeat(300),
);
const nanLike = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '-0',
  '0x10',
  '1_000',
  '9007199254740993',
  '1e-7',
  '0.0000001',
);
const hostileValue = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ minLength: 10_000, maxLength: 70_000 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  nanLike,
  fc.array(fc.anything(), { maxLength: 5 }),
  fc.anything({ maxDepth: 4 }),
);

/** Bodies as raw bytes, so invalid JSON and invalid UTF-8 reach the parser too. */
const body: fc.Arbitrary<Buffer | string> = fc.oneof(
  fc.dictionary(hostileKey, hostileValue, { maxKeys: 6 }).map((object) => JSON.stringify(object)),
  fc.anything().map((value) => JSON.stringify(value) ?? 'undefined'),
  fc.tuple(hostileKey, nanLike).map(([key, number]) => `{"${key}": ${number}}`),
  fc.integer({ min: 1, max: 5000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc.integer({ min: 1, max: 2000 }).map((depth) => '{"context":'.repeat(depth) + '{}' + '}'.repeat(depth)),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{',
    '',
    'null',
    '[]',
    '"x"',
  ),
  fc
    .uint8Array({ maxLength: 200 })
    .map((bytes) =>
      Buffer.concat([Buffer.from('{"text":"'), Buffer.from(bytes), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    ),
);

/** The operations without a body: each gets generated path segments (for its one parameter) and query strings. */
const URL_ENDPOINTS: Array<{ method: 'GET' | 'DELETE'; template: string }> = [
  { method: 'GET', template: '/api/v1/safety/budget/{run_id}' },
  { method: 'GET', template: '/api/v1/safety/budget/{run_id}/events' },
  { method: 'GET', template: '/api/v1/safety/audit/{run_id}' },
  { method: 'GET', template: '/api/v1/safety/sandbox/sessions/{session_id}' },
  { method: 'DELETE', template: '/api/v1/safety/sandbox/sessions/{session_id}' },
  { method: 'GET', template: '/api/v1/safety/redact/patterns' },
  { method: 'GET', template: '/api/v1/safety/approvals/{id}' },
  { method: 'GET', template: '/api/v1/safety/approvals' },
  { method: 'GET', template: '/api/v1/safety/whoami' },
  { method: 'GET', template: '/.well-known/jwks.json' },
  { method: 'GET', template: '/health/live' },
  { method: 'GET', template: '/health/ready' },
];

/** A path segment: any text percent-encoded (so it stays one segment), up to past the 256-character limit, or raw junk. */
const pathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map(encodeURIComponent),
  fc.string({ minLength: 250, maxLength: 400 }).map(encodeURIComponent),
  fc.constantFrom('%', '%E0%A4%A', '%00', '%2F', '..', '.', '%2e%2e', '%ff%fe', 'a%zz', RUN, '-', '_'),
);

/** A query string: hostile names and values, percent-encoded or raw. */
const queryString: fc.Arbitrary<string> = fc.oneof(
  fc.constant(''),
  fc
    .array(fc.tuple(fc.oneof(hostileKey, fc.constantFrom('limit', 'after')), fc.oneof(fc.string(), nanLike)), {
      maxLength: 4,
    })
    .map((pairs) => '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
  fc.string({ maxLength: 60 }).map((raw) => `?${raw}`),
  fc.constantFrom('?limit=1e400', '?limit=-0', '?limit=0x10', '?after=%', '?limit=1&limit=2', '?&&==&', '?%zz=1'),
);

/** Makes a JSON object body invalid for every DTO (none allows unknown fields); leaves other bodies alone. */
function withUnknownKey(payload: Buffer | string): Buffer | string {
  if (typeof payload !== 'string') return payload;
  try {
    const value: unknown = JSON.parse(payload);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return payload;
    return JSON.stringify({ ...value, fuzz_unknown_field: true });
  } catch {
    return payload; // not JSON: invalid already
  }
}

/** Every key but the audit streams, with its serialized value (DUMP), sorted. */
/** The audit trail and its per-tenant run index record every authorised call, failed ones included, by design. */
const AUDIT_KEY = /^safety:(audit|runs):/;

/**
 * Every key and its content, but the audit streams (and their run index) and the keys of `ownRuns`: a session created
 * without a run_id is given a run (and budget) of its own by design, named in its response.
 */
async function keyspace(redis: Redis, ownRuns: ReadonlySet<string> = new Set()): Promise<Array<[string, string]>> {
  const ownRun = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
  const keys = (await redis.keys('*')).filter((key) => !AUDIT_KEY.test(key) && !ownRuns.has(ownRun(key) ?? '')).sort();
  return Promise.all(
    keys.map(async (key) => [key, (await redis.dumpBuffer(key))?.toString('hex') ?? ''] as [string, string]),
  );
}

describe('fuzz: hostile bodies to every endpoint', () => {
  let app: NestFastifyApplication;
  let server: TestRedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    app = await createTestApp({ REDIS_URL: server.url });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/safety/budget/create',
      payload: { run_id: RUN, limit: 5 },
    });
    expect(created.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.quit();
    await server?.stop();
    if (server) removeDir(server.dir);
  });

  it('runs at least 10,000 bodies per endpoint', () => {
    expect(FUZZ_RUNS).toBeGreaterThanOrEqual(10_000);
  });

  it.each(ENDPOINTS)(
    '$method $url never answers 5xx, answers only documented problems, and changes no state',
    async ({ method, url, path }) => {
      const operation = OPENAPI.paths[path ?? url][method.toLowerCase()];
      const undocumented = new Set<string>();
      const sessionRuns = new Set<string>();
      const before = await keyspace(redis);
      const maySucceed = MAY_SUCCEED.has(url);
      await fc.assert(
        fc.asyncProperty(body, async (generated) => {
          const payload = maySucceed ? generated : withUnknownKey(generated);
          const res = await app.inject({ method, url, payload, headers: { 'content-type': 'application/json' } });
          const success = res.statusCode >= 200 && res.statusCode < 300;
          if (success && !maySucceed)
            throw new Error(`accepted: ${res.statusCode} for ${String(payload).slice(0, 200)}`);
          const problem =
            res.statusCode >= 400 &&
            res.statusCode < 500 &&
            /^application\/problem\+json/.test(String(res.headers['content-type']));
          if (!success && !problem) throw new Error(`${res.statusCode} ${res.body.slice(0, 300)}`);
          if (problem) {
            const { code } = JSON.parse(res.body) as { code: string };
            if (!documentedCodes(operation.responses[res.statusCode]).includes(code))
              undocumented.add(`${res.statusCode} ${code}`);
          }
          const sessionId = success ? (JSON.parse(res.body) as { session_id?: string }).session_id : undefined;
          if (sessionId && url.endsWith('/sessions')) {
            const runId = (JSON.parse(res.body) as { run_id: string }).run_id;
            if (/^session-[0-9a-f-]{36}$/.test(runId)) sessionRuns.add(runId);
            const deleted = await app.inject({ method: 'DELETE', url: `/api/v1/safety/sandbox/sessions/${sessionId}` });
            if (deleted.statusCode !== 204) throw new Error(`session ${sessionId} not deleted: ${deleted.statusCode}`);
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
      expect([...undocumented]).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await keyspace(redis, sessionRuns)).toEqual(before);
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    },
    600_000,
  );
  it.each(URL_ENDPOINTS)(
    '$method $template never answers 5xx for generated path segments and query strings, and changes no state',
    async ({ method, template }) => {
      const operation = OPENAPI.paths[template][method.toLowerCase()];
      const undocumented = new Set<string>();
      const before = await keyspace(redis);
      await fc.assert(
        fc.asyncProperty(pathSegment, queryString, async (segment, query) => {
          const url = template.replace(/\{[^}]+\}/, segment) + query;
          const res = await app.inject({ method, url });
          const success = res.statusCode >= 200 && res.statusCode < 300;
          const problem =
            res.statusCode >= 400 &&
            res.statusCode < 500 &&
            /^application\/problem\+json/.test(String(res.headers['content-type']));
          if (!success && !problem) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
          if (problem) {
            const { code } = JSON.parse(res.body) as { code: string };
            if (!documentedCodes(operation.responses[res.statusCode]).includes(code))
              undocumented.add(`${res.statusCode} ${code} (${url.slice(0, 80)})`);
          }
        }),
        { numRuns: FUZZ_RUNS },
      );
      expect([...undocumented].slice(0, 10)).toEqual([]);
      expect(await keyspace(redis)).toEqual(before);
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    },
    600_000,
  );
});
