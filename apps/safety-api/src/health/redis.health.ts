import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Cluster } from 'ioredis';
import { STORE_REDIS, StoreRedis } from '../redis/redis.tokens';

/** Readiness must answer fast even when Redis hangs, so the ping is capped well below probe timeouts. */
export const REDIS_PING_TIMEOUT_MS = 500;

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(STORE_REDIS) private readonly redis: StoreRedis | null,
  ) {}

  async check(key = 'redis') {
    const indicator = this.indicators.check(key);
    if (!this.redis) return indicator.up({ store: 'embedded' });
    const store = this.redis instanceof Cluster ? 'redis-cluster' : 'redis';
    try {
      await withTimeout(this.probe(this.redis), REDIS_PING_TIMEOUT_MS);
      return indicator.up({ store });
    } catch (error) {
      return indicator.down({ store, message: error instanceof Error ? error.message : 'ping failed' });
    }
  }

  /** A cluster is only ready when every slot is served (`cluster_state:ok`), not merely when one node answers. */
  private async probe(redis: StoreRedis): Promise<void> {
    if (!(redis instanceof Cluster)) {
      await redis.ping();
      return;
    }
    const info = String(await redis.cluster('INFO'));
    if (!/cluster_state:ok/.test(info)) throw new Error('cluster_state is not ok');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
