import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApprovalsHttpModule } from './approvals/approvals-http.module';
import { AuditModule } from './audit/audit.module';
import { BudgetHttpModule } from './budget/budget-http.module';
import { AuthModule } from './auth/auth.module';
import { ProblemFilter } from './common/problem/problem.filter';
import { JsonBodyValidationPipe } from './common/validation/json-body-validation.pipe';
import { Environment } from './config/environment';
import { HealthModule } from './health/health.module';
import { AppLoggerModule, LoggingOptions } from './logging/logger.module';
import { MetricsModule } from './metrics/metrics.module';
import { PolicyHttpModule } from './policy/policy-http.module';
import { RedactionHttpModule } from './redaction/redaction-http.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisStoreModule } from './redis/redis-store.module';
import { SandboxHttpModule } from './sandbox/sandbox-http.module';

/**
 * Composition root. Built from an already validated Environment (see
 * main.ts / loadEnvironment) so the store, auth and logging are decided once.
 */
@Module({})
export class AppModule {
  static forEnvironment(env: Environment, logging: LoggingOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...env })] }),
        AppLoggerModule.forEnvironment(env, logging),
        RedisStoreModule.forEnvironment(env),
        HealthModule,
        MetricsModule.forEnvironment(env),
        AuthModule,
        AuditModule,
        RateLimitModule.forEnvironment(env),
        PolicyHttpModule,
        ApprovalsHttpModule,
        BudgetHttpModule,
        RedactionHttpModule,
        SandboxHttpModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useClass: JsonBodyValidationPipe },
      ],
    };
  }
}
