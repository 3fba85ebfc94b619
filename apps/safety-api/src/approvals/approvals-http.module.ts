import { ApprovalsModule } from '@app/approvals';
import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditService } from '../audit/audit.service';
import type { Environment } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { STORE_REDIS, type StoreRedis } from '../redis/redis.tokens';
import { AuditApprovalListener, MetricsApprovalListener } from './approval-event.listeners';
import { ApprovalsController } from './approvals.controller';
import { JwksController } from './jwks.controller';

/** HTTP feature for @app/approvals: the store chosen at boot, lifetimes, the signing key and the webhook. */
@Module({
  imports: [
    ApprovalsModule.forRootAsync({
      // Global: /check and the sandbox redeem grants through the same service.
      isGlobal: true,
      inject: [STORE_REDIS, ConfigService, AuditService, MetricsService],
      useFactory: (
        redis: StoreRedis | null,
        config: ConfigService<Environment, true>,
        audit: AuditService,
        metrics: MetricsService,
      ) => {
        const signingKey = config.get('APPROVAL_SIGNING_KEY', { infer: true });
        if (!signingKey) {
          new Logger('Approvals').warn(
            'APPROVAL_SIGNING_KEY is not set: approval receipts are signed with a key made for this process only.',
          );
        }
        return {
          redis,
          ttlSeconds: config.get('APPROVAL_TTL_SECONDS', { infer: true }),
          grantTtlSeconds: config.get('APPROVAL_GRANT_TTL_SECONDS', { infer: true }),
          retentionSeconds: config.get('AUDIT_TTL_SECONDS', { infer: true }),
          signingKeyPem: signingKey?.replace(/\\n/g, '\n'),
          webhookUrl: config.get('APPROVAL_WEBHOOK_URL', { infer: true }),
          webhookSecret: config.get('APPROVAL_WEBHOOK_SECRET', { infer: true }),
          listeners: [new AuditApprovalListener(audit), new MetricsApprovalListener(metrics)],
        };
      },
    }),
  ],
  controllers: [ApprovalsController, JwksController],
})
export class ApprovalsHttpModule {}
