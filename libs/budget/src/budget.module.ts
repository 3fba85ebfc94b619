import { Module } from '@nestjs/common';
import { InMemoryBudgetLedger } from './adapters/in-memory-budget.ledger';
import { RedisBudgetLedger } from './adapters/redis-budget.ledger';
import { RedisStreamAlertChannel } from './adapters/redis-stream-alert.channel';
import { WebhookAlertChannel } from './adapters/webhook-alert.channel';
import { BudgetAlertDispatcher } from './alerts/budget-alert.dispatcher';
import { LogAlertChannel } from './alerts/log-alert.channel';
import { BUDGET_MODULE_OPTIONS, ConfigurableBudgetModule } from './budget.module-definition';
import type { BudgetModuleOptions } from './budget.options';
import { BudgetService } from './budget.service';
import { BUDGET_SETTINGS, BudgetSettings, resolveBudgetSettings } from './budget.settings';
import { BudgetAlertChannel } from './ports/budget-alert-channel.port';
import { BudgetLedger } from './ports/budget-ledger.port';

/**
 * Per-run money budgets. `BudgetModule.forRoot({ redis, defaultLimitUsd, maxLimitUsd, ttlSeconds })`
 * or `forRootAsync({ inject, useFactory })`; with `redis: null` the in-process ledger is used.
 */
@Module({
  providers: [
    { provide: BUDGET_SETTINGS, inject: [BUDGET_MODULE_OPTIONS], useFactory: resolveBudgetSettings },
    {
      provide: BudgetLedger,
      inject: [BUDGET_MODULE_OPTIONS, BUDGET_SETTINGS],
      useFactory: (options: BudgetModuleOptions, settings: BudgetSettings): BudgetLedger =>
        options.ledger ??
        (options.redis ? new RedisBudgetLedger(options.redis, settings) : new InMemoryBudgetLedger({ ...settings })),
    },
    {
      provide: BudgetAlertDispatcher,
      inject: [BUDGET_MODULE_OPTIONS, BUDGET_SETTINGS],
      useFactory: (options: BudgetModuleOptions, settings: BudgetSettings) => {
        const channels: BudgetAlertChannel[] = [new LogAlertChannel()];
        if (options.redis) {
          channels.push(
            new RedisStreamAlertChannel(options.redis, {
              keyPrefix: settings.keyPrefix,
              maxLen: settings.alertStreamMaxLen,
              commandTimeoutMs: settings.commandTimeoutMs,
            }),
          );
        }
        if (options.alertWebhookUrl)
          channels.push(new WebhookAlertChannel({ ...options.webhook, url: options.alertWebhookUrl }));
        return new BudgetAlertDispatcher([...channels, ...(options.alertChannels ?? [])]);
      },
    },
    BudgetService,
  ],
  exports: [BudgetService, BudgetLedger, BudgetAlertDispatcher],
})
export class BudgetModule extends ConfigurableBudgetModule {}
