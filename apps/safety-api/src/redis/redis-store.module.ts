import { RedisModule, RedisService } from '@liaoliaots/nestjs-redis';
import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Environment, hasRedis } from '../config/environment';
import { redisClientOptions } from './redis-client-options';
import { STORE_REDIS } from './redis.tokens';

/**
 * Chooses the state store once, at boot: Redis when configured, otherwise the
 * embedded in-process store (STORE_REDIS = null), which production refuses
 * (see validateEnvironment).
 */
/**
 * Boot waits this long for the first connection so the first requests do not
 * fail for nothing; past it the app starts anyway and readiness says 503
 * until Redis answers (Kubernetes keeps traffic away meanwhile).
 */
const STARTUP_CONNECT_WAIT_MS = 2000;

function readyOrTimeout(client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.once('ready', done);
  });
}

@Global()
@Module({})
export class RedisStoreModule {
  static forEnvironment(env: Environment): DynamicModule {
    if (!hasRedis(env)) {
      return {
        module: RedisStoreModule,
        providers: [
          {
            provide: STORE_REDIS,
            useFactory: () => {
              new Logger('Store').warn(
                'No REDIS_URL/REDIS_HOST configured: using the embedded in-process store. ' +
                  'State is single-instance and NOT durable; configure Redis for anything beyond local use.',
              );
              return null;
            },
          },
        ],
        exports: [STORE_REDIS],
      };
    }
    return {
      module: RedisStoreModule,
      imports: [
        RedisModule.forRoot({ readyLog: false, errorLog: false, closeClient: false, config: redisClientOptions(env) }),
      ],
      providers: [
        {
          provide: STORE_REDIS,
          inject: [RedisService],
          useFactory: async (redis: RedisService) => {
            const client = redis.getOrThrow();
            // Without a listener ioredis prints every reconnect error; log once per state change instead.
            const logger = new Logger('Redis');
            let healthy = true;
            client.on('error', (error: Error) => {
              if (healthy) logger.error(`Redis unavailable: ${error.message}`);
              healthy = false;
            });
            client.on('ready', () => {
              if (!healthy) logger.log('Redis connection restored');
              healthy = true;
            });
            await readyOrTimeout(client, STARTUP_CONNECT_WAIT_MS);
            return client;
          },
        },
        RedisStoreCloser,
      ],
      exports: [STORE_REDIS],
    };
  }
}

/**
 * Closes the store client on shutdown. QUIT when connected (pending replies
 * drain first); a hard disconnect otherwise, because QUIT on a client that is
 * between reconnects fails and leaves its reconnect timer running forever.
 */
@Injectable()
class RedisStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(STORE_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }
}
