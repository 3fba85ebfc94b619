import { ClusterModule, ClusterService, RedisModule, RedisService } from '@liaoliaots/nestjs-redis';
import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationShutdown,
  Provider,
} from '@nestjs/common';
import { Environment, hasRedis } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { redisClientOptions, redisClusterNodes, redisClusterOptions } from './redis-client-options';
import { STORE_REDIS, StoreRedis } from './redis.tokens';

/**
 * Boot waits this long for the first connection so the first requests do not
 * fail for nothing; past it the app starts anyway and readiness says 503
 * until Redis answers (Kubernetes keeps traffic away meanwhile).
 */
const STARTUP_CONNECT_WAIT_MS = 2000;

/**
 * Chooses the state store once, at boot: a Redis Cluster, a single Redis, or
 * the embedded in-process store (STORE_REDIS = null), which production refuses
 * (see validateEnvironment).
 */
@Global()
@Module({})
export class RedisStoreModule {
  static forEnvironment(env: Environment): DynamicModule {
    if (!hasRedis(env)) {
      return { module: RedisStoreModule, providers: [embeddedStore()], exports: [STORE_REDIS] };
    }
    const cluster = Boolean(env.REDIS_CLUSTER_NODES);
    return {
      module: RedisStoreModule,
      imports: [
        cluster
          ? ClusterModule.forRoot({
              readyLog: false,
              errorLog: false,
              closeClient: false,
              config: { nodes: redisClusterNodes(env), ...redisClusterOptions(env) },
            })
          : RedisModule.forRoot({
              readyLog: false,
              errorLog: false,
              closeClient: false,
              config: redisClientOptions(env),
            }),
      ],
      providers: [
        {
          provide: STORE_REDIS,
          inject: [cluster ? ClusterService : RedisService, MetricsService],
          useFactory: async (clients: RedisService | ClusterService, metrics: MetricsService) => {
            const client = clients.getOrThrow();
            watchConnection(client, metrics);
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

function embeddedStore(): Provider {
  return {
    provide: STORE_REDIS,
    useFactory: () => {
      new Logger('Store').warn(
        'No REDIS_URL/REDIS_HOST/REDIS_CLUSTER_NODES configured: using the embedded in-process store. ' +
          'State is single-instance and NOT durable; configure Redis for anything beyond local use.',
      );
      return null;
    },
  };
}

/** Without a listener ioredis prints every reconnect error; log once per state change and count errors. */
function watchConnection(client: StoreRedis, metrics: MetricsService): void {
  const logger = new Logger('Redis');
  let healthy = true;
  client.on('error', (error: Error) => {
    metrics.redisErrors.inc();
    if (healthy) logger.error(`Redis unavailable: ${error.message}`);
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.log('Redis connection restored');
    healthy = true;
  });
}

function readyOrTimeout(client: StoreRedis, ms: number): Promise<void> {
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

/**
 * Closes the store client on shutdown. QUIT when connected (pending replies
 * drain first); a hard disconnect otherwise, because QUIT on a client that is
 * between reconnects fails and leaves its reconnect timer running forever.
 */
@Injectable()
class RedisStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(STORE_REDIS) private readonly redis: StoreRedis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'ready') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    } else {
      this.redis.disconnect();
    }
  }
}
