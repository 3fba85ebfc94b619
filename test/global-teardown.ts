import { removeDir, type TestRedisServer } from './support/redis-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __TEST_REDIS__?: TestRedisServer }).__TEST_REDIS__;
  if (!server) return;
  await server.stop();
  removeDir(server.dir);
}
