import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Environment } from '../config/environment';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Metrics for every feature; `/metrics` is served on the main port unless METRICS_PORT moves it (metrics-server.ts). */
@Global()
@Module({})
export class MetricsModule {
  static forEnvironment(env: Pick<Environment, 'METRICS_PORT'>): DynamicModule {
    return {
      module: MetricsModule,
      controllers: env.METRICS_PORT === undefined ? [MetricsController] : [],
      providers: [MetricsService],
      exports: [MetricsService],
    };
  }
}
