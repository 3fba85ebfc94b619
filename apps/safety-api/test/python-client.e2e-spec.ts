import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PYTHON_SCRIPTS_FILE, pythonBudgetScripts } from '../../../scripts/generate-python-budget-scripts';
import { requireTestRedisUrl } from '../../../test/support/redis';
import { createTestApp } from './support/create-test-app';

/**
 * The Python package (clients/python) against the whole app on a real port and the real Redis:
 * its pytest suite, run with Debian's python3 (python3-pytest, python3-redis; `.ci/run` installs
 * them). The service and Python share a Redis database of their own, emptied first, so the
 * quick reference's fixed `run-123` is free.
 */
const ROOT = join(__dirname, '..', '..', '..');
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const DATABASE = 7;

describe('Python package ae_api.safety', () => {
  let app: NestFastifyApplication;
  let base: string;
  const redisUrl = `${requireTestRedisUrl()}/${DATABASE}`;

  beforeAll(async () => {
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    app = await createTestApp({ REDIS_URL: redisUrl });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app?.close());

  it('runs exactly the budget scripts the service runs (the generated file is up to date)', () => {
    expect(readFileSync(PYTHON_SCRIPTS_FILE, 'utf8')).toBe(pythonBudgetScripts());
  });

  it('passes its pytest suite against the real service and Redis', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      API_URL: base,
      REDIS_URL: redisUrl,
      PYTHONPATH: join(ROOT, 'clients/python'),
      PYTHONDONTWRITEBYTECODE: '1',
    };
    const result = await promisify(execFile)(
      PYTHON,
      ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', join(ROOT, 'clients/python/tests')],
      { cwd: ROOT, env, timeout: 120_000 },
    ).then(
      ({ stdout }) => ({ exitCode: 0, output: stdout }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({
        exitCode: error.code ?? 1,
        output: `${error.stdout ?? ''}\n${error.stderr ?? ''}`,
      }),
    );
    // On failure the assertion shows pytest's own report.
    expect(result.exitCode === 0 ? 'passed' : result.output).toBe('passed');
    expect(result.output).toMatch(/\d+ passed/);
  }, 150_000);
});
