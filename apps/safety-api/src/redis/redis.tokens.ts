import type { Cluster, Redis } from 'ioredis';

/**
 * Injection token for the client that backs durable state: a single Redis,
 * a Redis Cluster, or `null` when no Redis is configured and the embedded
 * in-process store is used.
 */
export const STORE_REDIS = Symbol('STORE_REDIS');

/** What STORE_REDIS holds when Redis is the store. Both speak the same command API. */
export type StoreRedis = Redis | Cluster;
