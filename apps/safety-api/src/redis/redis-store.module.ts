import { RedisModule, RedisService } from '@liaoliaots/nestjs-redis';
import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { Environment, hasRedis } from '../config/environment';
import { redisClientOptions } from './redis-client-options';
import { STORE_REDIS } from './redis.tokens';

/**
 * Chooses the state store once, at boot: Redis when configured, otherwise the
 * embedded in-process store (STORE_REDIS = null), which production refuses
 * (see validateEnvironment).
 */
@Global()
@Module({})
export class RedisStoreModule {
  static forEnvironment(env: Environment): DynamicModule {
    if (!hasRedis(env)) {
      new Logger('Store').warn(
        'No REDIS_URL/REDIS_HOST configured: using the embedded in-process store. ' +
          'State is single-instance and NOT durable; configure Redis for anything beyond local use.',
      );
      return {
        module: RedisStoreModule,
        providers: [{ provide: STORE_REDIS, useValue: null }],
        exports: [STORE_REDIS],
      };
    }
    return {
      module: RedisStoreModule,
      imports: [
        RedisModule.forRoot({ readyLog: false, errorLog: false, config: redisClientOptions(env) }),
      ],
      providers: [
        {
          provide: STORE_REDIS,
          inject: [RedisService],
          useFactory: (redis: RedisService) => {
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
            return client;
          },
        },
      ],
      exports: [STORE_REDIS],
    };
  }
}
