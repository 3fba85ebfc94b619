import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { Environment } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { STORE_REDIS, type StoreRedis } from '../redis/redis.tokens';
import { AccessGuard } from './access.guard';
import { ApiKeyDirectory } from './api-key-directory';
import { AuthFailureThrottle } from './auth-failure.throttle';
import { WhoamiController } from './whoami.controller';

/** Principals (API keys with a role and a tenant), failed-authentication throttling, and `whoami`. */
@Global()
@Module({
  controllers: [WhoamiController],
  providers: [
    {
      provide: ApiKeyDirectory,
      inject: [ConfigService, MetricsService],
      useFactory: (config: ConfigService<Environment, true>, metrics: MetricsService) =>
        new ApiKeyDirectory(
          { legacyKeys: config.get('SAFETY_API_KEYS'), keysFile: config.get('SAFETY_API_KEYS_FILE') },
          metrics,
        ),
    },
    {
      provide: AuthFailureThrottle,
      inject: [ConfigService, STORE_REDIS],
      useFactory: (config: ConfigService<Environment, true>, redis: StoreRedis | null) =>
        new AuthFailureThrottle(redis, config.get('AUTH_FAILURE_LIMIT'), config.get('RATE_LIMIT_WINDOW_MS')),
    },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [ApiKeyDirectory, AuthFailureThrottle],
})
export class AuthModule {}
