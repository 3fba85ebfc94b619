import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { Environment } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { STORE_REDIS, type StoreRedis } from '../redis/redis.tokens';
import { RateLimitGuard } from './rate-limit.guard';
import { InMemoryRateLimiter, RateLimiter, RedisRateLimiter } from './rate-limiter';

/**
 * Rate limits per principal and per tenant (RATE_LIMIT_MAX, RATE_LIMIT_TENANT_MAX, RATE_LIMIT_WINDOW_MS),
 * shared through Redis when Redis is the store. Counted by the service itself rather than by
 * @nestjs/throttler: the library counts each limit in a Redis round trip of its own, and both limits
 * on every request doubled the cost of the production shape (BENCHMARKS.md); one script counts both.
 * While Redis is away each replica counts on its own (safety_rate_limit_degraded_total) instead of
 * refusing calls that need no Redis. With RATE_LIMIT_MAX=0 the guard is not installed at all.
 */
@Module({})
export class RateLimitModule {
  static forEnvironment(env: Pick<Environment, 'RATE_LIMIT_MAX'>): DynamicModule {
    if (env.RATE_LIMIT_MAX === 0) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      providers: [
        {
          provide: RateLimiter,
          inject: [ConfigService, STORE_REDIS, MetricsService],
          useFactory: (config: ConfigService<Environment, true>, redis: StoreRedis | null, metrics: MetricsService) => {
            const limits = {
              callerMax: config.get('RATE_LIMIT_MAX'),
              tenantMax: config.get('RATE_LIMIT_TENANT_MAX'),
              windowMs: config.get('RATE_LIMIT_WINDOW_MS'),
            };
            if (!redis) return new InMemoryRateLimiter(limits);
            return new RedisRateLimiter(redis, limits, new InMemoryRateLimiter(limits), () =>
              metrics.rateLimitDegraded.inc(),
            );
          },
        },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
