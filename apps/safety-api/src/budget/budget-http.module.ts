import { BudgetModule } from '@app/budget';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { STORE_REDIS, type StoreRedis } from '../redis/redis.tokens';
import { BudgetController } from './budget.controller';
import { MetricsAlertChannel } from './metrics-alert.channel';

/** HTTP feature for @app/budget: the store chosen at boot (Redis or embedded) plus the budget settings from the environment. */
@Module({
  imports: [
    BudgetModule.forRootAsync({
      // Global: other features (the sandbox) must spend against this same ledger, not a second one.
      isGlobal: true,
      inject: [STORE_REDIS, ConfigService, MetricsService],
      useFactory: (redis: StoreRedis | null, config: ConfigService<Environment, true>, metrics: MetricsService) => ({
        redis,
        defaultLimitUsd: config.get('DEFAULT_RUN_BUDGET', { infer: true }),
        maxLimitUsd: config.get('MAX_RUN_BUDGET', { infer: true }),
        ttlSeconds: config.get('BUDGET_TTL_SECONDS', { infer: true }),
        maxReservationTtlSeconds: config.get('BUDGET_MAX_RESERVATION_TTL_SECONDS', { infer: true }),
        alertWebhookUrl: config.get('BUDGET_ALERT_WEBHOOK_URL', { infer: true }),
        webhook: {
          secret:
            config.get('BUDGET_ALERT_WEBHOOK_SECRET', { infer: true }) ??
            config.get('APPROVAL_WEBHOOK_SECRET', { infer: true }),
        },
        alertChannels: [new MetricsAlertChannel(metrics)],
      }),
    }),
  ],
  controllers: [BudgetController],
})
export class BudgetHttpModule {}
