import { Module } from '@nestjs/common';
import { InMemoryApprovalStore } from './adapters/in-memory-approval.store';
import { RedisApprovalStore } from './adapters/redis-approval.store';
import { WebhookApprovalListener } from './adapters/webhook-approval.listener';
import { ApprovalReceipts } from './approval-receipts';
import { APPROVALS_MODULE_OPTIONS, ConfigurableApprovalsModule } from './approvals.module-definition';
import type { ApprovalsModuleOptions } from './approvals.options';
import { ApprovalsService } from './approvals.service';
import { ApprovalStore } from './ports/approval-store.port';

const DAY_SECONDS = 86_400;

/**
 * Human approvals: `ApprovalsModule.forRootAsync({ inject, useFactory })`; with `redis: null` the
 * in-process store is used.
 */
@Module({
  providers: [
    {
      provide: ApprovalStore,
      inject: [APPROVALS_MODULE_OPTIONS],
      useFactory: (options: ApprovalsModuleOptions): ApprovalStore => {
        const retentionMs = (options.retentionSeconds ?? 7 * DAY_SECONDS) * 1000;
        return options.redis
          ? new RedisApprovalStore(options.redis, retentionMs)
          : new InMemoryApprovalStore(retentionMs);
      },
    },
    {
      provide: ApprovalReceipts,
      inject: [APPROVALS_MODULE_OPTIONS],
      useFactory: (options: ApprovalsModuleOptions) =>
        ApprovalReceipts.create(options.issuer ?? 'safety-api', options.signingKeyPem),
    },
    {
      provide: ApprovalsService,
      inject: [ApprovalStore, ApprovalReceipts, APPROVALS_MODULE_OPTIONS],
      useFactory: (store: ApprovalStore, receipts: ApprovalReceipts, options: ApprovalsModuleOptions) =>
        new ApprovalsService(
          store,
          receipts,
          {
            ttlMs: (options.ttlSeconds ?? 3600) * 1000,
            grantTtlMs: (options.grantTtlSeconds ?? 900) * 1000,
            sweepIntervalMs: options.sweepIntervalMs ?? 1000,
          },
          [
            ...(options.webhookUrl && options.webhookSecret
              ? [new WebhookApprovalListener({ url: options.webhookUrl, secret: options.webhookSecret })]
              : []),
            ...(options.listeners ?? []),
          ],
        ),
    },
  ],
  exports: [ApprovalsService, ApprovalStore],
})
export class ApprovalsModule extends ConfigurableApprovalsModule {}
