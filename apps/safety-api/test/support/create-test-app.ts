import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import { createApp } from '../../src/bootstrap';
import { loadEnvironment } from '../../src/config/load-environment';

/**
 * The whole app, exactly as production wires it, with the given variables
 * (nothing is read from process.env). Defaults: NODE_ENV=test, logs silenced,
 * rate limiting off (suites share one Redis and one client IP; the
 * rate-limit suite turns it on).
 */
export async function createTestApp(
  overrides: Record<string, string | undefined> = {},
): Promise<NestFastifyApplication> {
  return createApp(loadEnvironment({ ...TEST_DEFAULTS, ...overrides }));
}

const TEST_DEFAULTS = { RATE_LIMIT_MAX: '0' };

/** Like createTestApp, but every log line is captured (LOG_LEVEL defaults to info). */
export async function createTestAppWithLogs(
  overrides: Record<string, string | undefined> = {},
): Promise<{ app: NestFastifyApplication; logs: string[] }> {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const app = await createApp(loadEnvironment({ ...TEST_DEFAULTS, LOG_LEVEL: 'info', ...overrides }), {
    logDestination: destination,
  });
  return { app, logs };
}
