/**
 * Injection token for the Redis client that backs durable state, or `null`
 * when no Redis is configured and the embedded in-process store is used.
 * Typed as `Redis | null` (ioredis).
 */
export const STORE_REDIS = Symbol('STORE_REDIS');
