import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';
import type { Environment } from '../config/environment';

/**
 * Options for every Redis connection the service opens. They make a dead
 * Redis fail fast (fail closed within a second) instead of queueing commands
 * forever, and keep reconnecting in the background so the service recovers
 * without a restart. Auto-pipelining sends the commands issued in one event
 * loop turn (many concurrent requests' scripts and audit appends) in one write:
 * under load that is one syscall per turn instead of one per command.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  enableAutoPipelining: true,
  maxRetriesPerRequest: 0,
  connectTimeout: 1000,
  commandTimeout: 800,
  retryStrategy: (attempt) => Math.min(50 * attempt, 1000),
};

export function redisClientOptions(env: Environment): RedisOptions & { url?: string } {
  if (env.REDIS_URL) return { ...FAIL_FAST, url: env.REDIS_URL };
  return { ...FAIL_FAST, host: env.REDIS_HOST, port: env.REDIS_PORT, db: env.REDIS_DB, password: env.REDIS_PASSWORD };
}

export function redisClusterNodes(env: Environment): ClusterNode[] {
  return (env.REDIS_CLUSTER_NODES ?? '')
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean)
    .map((node) => {
      const [host, port] = node.split(':');
      return { host, port: Number(port) };
    });
}

export function redisClusterOptions(env: Environment): ClusterOptions {
  return {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    clusterRetryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    redisOptions: { ...FAIL_FAST, password: env.REDIS_PASSWORD },
    slotsRefreshTimeout: 1000,
  };
}
