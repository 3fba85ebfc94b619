import { INSTALL_REDIS_HINT } from './redis-server';

/** The Redis every integration suite shares (started by jest's globalSetup). */
export function requireTestRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error(`No test Redis: jest's globalSetup did not start one. ${INSTALL_REDIS_HINT}`);
  return url;
}
