import { POLICY_TEXT_REDACTOR, type TextRedactor } from '@app/policy';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { StoreRedis } from '../redis/redis.tokens';
import type { Environment } from '../config/environment';
import { STORE_REDIS } from '../redis/redis.tokens';
import { AuditLog } from './audit-log.port';
import { RunsController } from '../runs/runs.controller';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { InMemoryAuditLog } from './in-memory-audit.log';
import { LogRedactor } from './log-redactor';
import { RedisAuditLog } from './redis-audit.log';

@Global()
@Module({
  controllers: [AuditController, RunsController],
  providers: [
    LogRedactor,
    AuditService,
    // PolicyGate (global, in PolicyHttpModule) answers with reasons that quote the request: they leave redacted.
    {
      provide: POLICY_TEXT_REDACTOR,
      inject: [LogRedactor],
      useFactory:
        (redactor: LogRedactor): TextRedactor =>
        (text) =>
          redactor.redactText(text),
    },
    {
      provide: AuditLog,
      inject: [STORE_REDIS, ConfigService],
      useFactory: (redis: StoreRedis | null, config: ConfigService<Environment, true>) =>
        redis
          ? new RedisAuditLog(redis, config.get('AUDIT_MAX_EVENTS_PER_RUN'), config.get('AUDIT_TTL_SECONDS'))
          : new InMemoryAuditLog(config.get('AUDIT_MAX_EVENTS_PER_RUN'), config.get('AUDIT_TTL_SECONDS')),
    },
  ],
  exports: [AuditService, LogRedactor, POLICY_TEXT_REDACTOR],
})
export class AuditModule {}
