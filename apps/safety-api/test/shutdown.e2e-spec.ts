import { ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { freePort } from '../../../test/support/redis-server';
import { createTestApp } from './support/create-test-app';

/**
 * The real entry point (main.ts) in its own process, on Redis: SIGTERM must let
 * every in-flight request finish (budget spends included: Redis closes only
 * after the HTTP server has drained) and exit 0. Readiness turning 503 the
 * moment draining starts is readiness.e2e-spec.ts's.
 */
const root = join(__dirname, '..', '..', '..');

function startService(port: number): ChildProcess {
  return spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/safety-api/src/main.ts'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        REDIS_URL: requireTestRedisUrl(),
        SHUTDOWN_GRACE_MS: '5000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
}

async function get(port: number, path: string): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => undefined);
  return res?.status ?? 0;
}

async function waitFor(probe: () => Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not reached within ${withinMs} ms`);
}

it('drains on SIGTERM under load: every in-flight request completes, exit code 0', async () => {
  const port = await freePort();
  const service = startService(port);
  let stderr = '';
  service.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => service.once('exit', (code) => resolve(code)));
  try {
    await waitFor(async () => (await get(port, '/health/ready')) === 200, 30_000);

    const runId = `shutdown-${randomUUID()}`;
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/safety/budget/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ run_id: runId, limit: 1 }),
    });
    expect(created.status).toBe(201);

    // Load: requests whose bodies are still arriving when SIGTERM lands are in flight.
    const check = JSON.stringify({ action: 'execute_code', context: { command: 'npm test' } });
    const spend = JSON.stringify({ run_id: runId, amount: 0.01 });
    const slowRequest = (path: string, body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              connection: 'close',
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => req.end(body.slice(10)), 700);
      });
    const inFlight = Promise.all([
      ...Array.from({ length: 15 }, () => slowRequest('/api/v1/safety/check', check)),
      ...Array.from({ length: 10 }, () => slowRequest('/api/v1/safety/budget/spend', spend)),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));

    service.kill('SIGTERM');
    expect(await inFlight).toEqual(Array(25).fill(200));
    expect(await exited).toBe(0);
    // The ten spends answered during the drain are in Redis: read back by a fresh instance.
    const reader = await createTestApp({ REDIS_URL: requireTestRedisUrl() });
    try {
      const status = await reader.inject({ method: 'GET', url: `/api/v1/safety/budget/${runId}` });
      expect(JSON.parse(status.body).spent).toBeCloseTo(0.1, 6);
    } finally {
      await reader.close();
    }
  } catch (error) {
    service.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\nservice stderr:\n${stderr}`);
  }
}, 60_000);
