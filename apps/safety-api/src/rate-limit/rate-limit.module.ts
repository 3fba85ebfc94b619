import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule, ThrottlerStorageService } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { presentedApiKey } from '../common/auth/presented-api-key';
import type { Redis } from 'ioredis';
import type { StoreRedis } from '../redis/redis.tokens';
import type { Environment } from '../config/environment';
import { STORE_REDIS } from '../redis/redis.tokens';
import { FailClosedThrottlerStorage } from './fail-closed.storage';

/**
 * Per-API-key rate limit (per client IP when auth is off). Counts live in
 * Redis when Redis is the store, so every replica shares them. Runs after the
 * API-key guard, so only authenticated calls are counted against a key.
 * With RATE_LIMIT_MAX=0 the guard is not installed at all (no per-request cost).
 */
@Module({})
export class RateLimitModule {
  static forEnvironment(env: Pick<Environment, 'RATE_LIMIT_MAX'>): DynamicModule {
    if (env.RATE_LIMIT_MAX === 0) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [ConfigService, STORE_REDIS],
          useFactory: (config: ConfigService<Environment, true>, redis: StoreRedis | null) => ({
            throttlers: [
              { name: 'default', limit: config.get('RATE_LIMIT_MAX'), ttl: config.get('RATE_LIMIT_WINDOW_MS') },
            ],
            storage: new FailClosedThrottlerStorage(redis ? redisStorage(redis) : new ThrottlerStorageService()),
            getTracker: (request: Record<string, unknown>) => trackerFor(request as unknown as TrackedRequest),
            // One counter per key across all routes. The library's default key also names the controller and
            // handler, which would give every route its own allowance of RATE_LIMIT_MAX.
            generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
            errorMessage: 'Too many requests for this API key; retry after the number of seconds in Retry-After.',
          }),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }
}

/** The storage accepts a Redis or a Cluster at runtime (instanceof check) but only types the former. */
function redisStorage(redis: StoreRedis): ThrottlerStorageRedisService {
  return new ThrottlerStorageRedisService(redis as Redis);
}

interface TrackedRequest {
  headers: IncomingHttpHeaders;
  ip: string;
}

/** The key's digest (never the key itself, which would end up in Redis), else the client IP. */
function trackerFor(request: TrackedRequest): string {
  const apiKey = presentedApiKey(request.headers);
  if (apiKey) return 'key:' + createHash('sha256').update(apiKey).digest('hex').slice(0, 32);
  return 'ip:' + request.ip;
}
