import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import request from 'supertest';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { removeDir, startRedisServer } from '../../../test/support/redis-server';
import { rmSync } from 'node:fs';
import { createTestApp } from './support/create-test-app';
import { principalsFor, writeKeysFile } from './support/principals';

const KEYS = 'limit-key-aaaa,limit-key-bbbb,limit-key-cccc';
const whoami = (app: NestFastifyApplication, key: string) =>
  request(app.getHttpServer()).get('/api/v1/safety/whoami').set('x-api-key', key);

describe('rate limits per API key, shared through Redis', () => {
  let first: NestFastifyApplication;
  let second: NestFastifyApplication;

  beforeAll(async () => {
    // A window no other suite shares: the key digests below are unique to this file.
    const env = {
      REDIS_URL: requireTestRedisUrl(),
      SAFETY_API_KEYS: KEYS,
      RATE_LIMIT_MAX: '3',
      RATE_LIMIT_WINDOW_MS: '60000',
    };
    first = await createTestApp(env);
    second = await createTestApp(env);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('counts one key across replicas and answers 429 problem+json with Retry-After', async () => {
    expect((await whoami(first, 'limit-key-aaaa')).status).toBe(200);
    expect((await whoami(second, 'limit-key-aaaa')).status).toBe(200);
    expect((await whoami(first, 'limit-key-aaaa')).status).toBe(200);
    const limited = await whoami(second, 'limit-key-aaaa');
    expect(limited.status).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts a key once across all routes, not once per route', async () => {
    const check = (key: string) =>
      request(first.getHttpServer())
        .post('/api/v1/safety/check')
        .set('x-api-key', key)
        .send({ action: 'execute_code', context: { command: 'ls' } });
    const redact = (key: string) =>
      request(second.getHttpServer()).post('/api/v1/safety/redact').set('x-api-key', key).send({ text: 'hello' });
    expect((await whoami(first, 'limit-key-cccc')).status).toBe(200);
    expect((await check('limit-key-cccc')).status).toBe(200);
    expect((await redact('limit-key-cccc')).status).toBe(200);
    expect((await check('limit-key-cccc')).status).toBe(429);
  });

  it('keeps separate counts per key', async () => {
    expect((await whoami(first, 'limit-key-bbbb')).status).toBe(200);
  });

  it('never limits health probes', async () => {
    for (let i = 0; i < 5; i++) expect((await request(first.getHttpServer()).get('/health/live')).status).toBe(200);
  });
});

describe('rate limits per tenant and failed authentications per address', () => {
  const principals = principalsFor('tenant-limit', ['rl-one', 'rl-two', 'rl-three']);
  const key = (id: string) => principals.find((p) => p.id === id)!.key;
  let app: NestFastifyApplication;
  let keysFile: string;

  beforeAll(async () => {
    keysFile = writeKeysFile(principals);
    app = await createTestApp({
      REDIS_URL: requireTestRedisUrl(),
      SAFETY_API_KEYS_FILE: keysFile,
      RATE_LIMIT_MAX: '100',
      RATE_LIMIT_TENANT_MAX: '4',
      AUTH_FAILURE_LIMIT: '3',
      RATE_LIMIT_WINDOW_MS: '60000',
    });
  });
  afterAll(async () => {
    await app.close();
    rmSync(keysFile, { force: true });
  });

  it("counts all of a tenant's keys together, and not another tenant's", async () => {
    for (const id of ['rl-one-agent', 'rl-one-operator', 'rl-one-admin', 'rl-one-agent']) {
      expect((await whoami(app, key(id))).status).toBe(200);
    }
    const limited = await whoami(app, key('rl-one-operator'));
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await whoami(app, key('rl-two-agent'))).status).toBe(200);
  });

  it('counts both limits in one Redis script call per request', async () => {
    const redis = new Redis(requireTestRedisUrl());
    const scriptCalls = async () => {
      const stats = await redis.info('commandstats');
      return ['evalsha', 'eval'].reduce(
        (sum, name) => sum + Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0),
        0,
      );
    };
    const before = await scriptCalls();
    for (let i = 0; i < 3; i++) expect((await whoami(app, key('rl-three-operator'))).status).toBe(200);
    expect((await scriptCalls()) - before).toBe(3);
    redis.disconnect();
  });

  it('throttles failed authentications per address without slowing valid keys', async () => {
    // Suites share one Redis and one client address: start from no failures counted for it.
    const redis = new Redis(requireTestRedisUrl());
    await redis.del(...(await redis.keys('safety:authfail:*')), 'safety:authfail:none');
    redis.disconnect();
    for (let i = 0; i < 3; i++) expect((await whoami(app, `wrong-key-${i}`)).status).toBe(401);
    const throttled = await whoami(app, 'wrong-key-4');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect((await whoami(app, key('rl-two-operator'))).status).toBe(200);
  });
});

describe('rate limits when Redis is down', () => {
  it('falls back to per-replica counters (counted): calls that need no Redis keep working, still limited; budgets fail closed', async () => {
    const redis = await startRedisServer();
    const app = await createTestApp({ REDIS_URL: redis.url, RATE_LIMIT_MAX: '5' });
    const http = () => request(app.getHttpServer());
    const degraded = async () =>
      Number(/^safety_rate_limit_degraded_total (\d+)/m.exec((await http().get('/metrics')).text)?.[1] ?? 0);
    try {
      expect((await http().get('/api/v1/safety/whoami')).status).toBe(200);
      await redis.stop('SIGKILL');
      const budget = await http().get('/api/v1/safety/budget/any-run');
      expect({ status: budget.status, code: budget.body.code }).toEqual({
        status: 503,
        code: 'DEPENDENCY_UNAVAILABLE',
      });
      const check = () =>
        http()
          .post('/api/v1/safety/check')
          .send({ action: 'execute_code', context: { command: 'ls' } });
      for (let i = 0; i < 4; i++) expect((await check()).status).toBe(200);
      const limited = await check();
      expect(limited.status).toBe(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(await degraded()).toBe(6);
    } finally {
      await app.close();
      removeDir(redis.dir);
    }
  });
});
