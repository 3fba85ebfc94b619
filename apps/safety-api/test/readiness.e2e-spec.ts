import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { removeDir, startRedisServer, TestRedisServer } from '../../../test/support/redis-server';
import { LifecycleState } from '../src/health/lifecycle.state';
import { createTestApp } from './support/create-test-app';

/** Polls `probe` until it returns true or `withinMs` passes; returns the time it took. */
async function eventually(probe: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if (await probe()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${withinMs} ms`);
}

describe('readiness follows Redis (own redis-server, stopped and restarted)', () => {
  let redis: TestRedisServer;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    redis = await startRedisServer();
    app = await createTestApp({ REDIS_URL: redis.url });
  });

  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    if (redis) removeDir(redis.dir);
  });

  const status = async (path: string) => (await request(app.getHttpServer()).get(path)).status;

  it('is ready while Redis answers', async () => {
    const res = await request(app.getHttpServer()).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up', store: 'redis' } } });
  });

  it('turns 503 within 2 s when Redis stops, while liveness stays 200, and recovers without a restart', async () => {
    await redis.stop('SIGKILL');
    await eventually(async () => (await status('/health/ready')) === 503, 2000);
    const down = await request(app.getHttpServer()).get('/health/ready');
    expect(down.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
    expect(await status('/health/live')).toBe(200);

    redis = await startRedisServer({ port: redis.port, dir: redis.dir });
    await eventually(async () => (await status('/health/ready')) === 200, 5000);
  });
});

describe('readiness with the embedded store', () => {
  it('is ready without Redis and says which store it uses', async () => {
    const app = await createTestApp();
    const res = await request(app.getHttpServer()).get('/health/ready');
    await app.close();
    expect(res.status).toBe(200);
    expect(res.body.info.redis).toEqual({ status: 'up', store: 'embedded' });
  });

  it('turns 503 the moment draining starts (SIGTERM), while liveness stays 200', async () => {
    const app = await createTestApp();
    app.get(LifecycleState).startDraining();
    const ready = await request(app.getHttpServer()).get('/health/ready');
    const live = await request(app.getHttpServer()).get('/health/live');
    await app.close();
    expect(ready.status).toBe(503);
    expect(ready.body.error.lifecycle).toEqual({ status: 'down', message: 'shutting down' });
    expect(live.status).toBe(200);
  });
});
