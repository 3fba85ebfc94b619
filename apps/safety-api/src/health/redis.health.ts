import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { STORE_REDIS } from '../redis/redis.tokens';

/** Readiness must answer fast even when Redis hangs, so the ping is capped well below probe timeouts. */
export const REDIS_PING_TIMEOUT_MS = 500;

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(STORE_REDIS) private readonly redis: Redis | null,
  ) {}

  async check(key = 'redis') {
    const indicator = this.indicators.check(key);
    if (!this.redis) return indicator.up({ store: 'embedded' });
    try {
      await withTimeout(this.redis.ping(), REDIS_PING_TIMEOUT_MS);
      return indicator.up({ store: 'redis' });
    } catch (error) {
      return indicator.down({ store: 'redis', message: error instanceof Error ? error.message : 'ping failed' });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
