import { PolicyGate, PolicyModule } from '@app/policy';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { PolicyAdminController } from './policy-admin.controller';
import { PolicyFiles } from './policy-files';
import { PolicyController } from './policy.controller';

/**
 * HTTP feature for @app/policy. The gate starts on the built-in defaults; PolicyFiles installs
 * POLICY_FILE and POLICY_DIR's tenant overlays during init (an invalid file stops the boot) and
 * keeps them in step afterwards.
 */
@Module({
  imports: [
    // Global: the sandbox judges commands with this same gate before running them.
    PolicyModule.forRoot({}, true),
  ],
  providers: [
    {
      provide: PolicyFiles,
      inject: [PolicyGate, ConfigService, MetricsService],
      useFactory: (gate: PolicyGate, config: ConfigService<Environment, true>, metrics: MetricsService) =>
        new PolicyFiles(
          gate,
          {
            globalFile: config.get('POLICY_FILE', { infer: true }),
            tenantDir: config.get('POLICY_DIR', { infer: true }),
          },
          metrics,
        ),
    },
  ],
  controllers: [PolicyController, PolicyAdminController],
  exports: [PolicyFiles],
})
export class PolicyHttpModule {}
