import { startRedisServer } from './support/redis-server';

/**
 * Gives every suite a real Redis: REDIS_URL when the caller provides one,
 * otherwise a throwaway redis-server on a free port. Suites read it through
 * requireTestRedisUrl(). No Redis test is skipped: without a server the run fails.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) {
    process.env.TEST_REDIS_URL = process.env.REDIS_URL;
    return;
  }
  const server = await startRedisServer();
  process.env.TEST_REDIS_URL = server.url;
  (globalThis as { __TEST_REDIS__?: typeof server }).__TEST_REDIS__ = server;
}
