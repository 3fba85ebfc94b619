import type { RedisOptions } from 'ioredis';
import type { Environment } from '../config/environment';

/**
 * Options for every Redis client the service opens. They make a dead Redis
 * fail fast (fail closed within a second) instead of queueing commands
 * forever, and keep reconnecting in the background so the service recovers
 * without a restart.
 */
export function redisClientOptions(env: Environment): RedisOptions & { url?: string } {
  const common: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 800,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
    lazyConnect: false,
  };
  if (env.REDIS_URL) return { ...common, url: env.REDIS_URL };
  return {
    ...common,
    host: env.REDIS_HOST,
    port: env.REDIS_PORT,
    db: env.REDIS_DB,
    password: env.REDIS_PASSWORD,
  };
}
