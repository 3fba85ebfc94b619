import { loadPolicyFile, PolicyModule, type PolicyOptions } from '@app/policy';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { PolicyController } from './policy.controller';

/** HTTP feature for @app/policy: the policy file named by POLICY_FILE (validated at boot) or the defaults. */
@Module({
  imports: [
    PolicyModule.forRootAsync({
      // Global: the sandbox judges commands with this same gate before running them.
      global: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>): PolicyOptions => {
        const file = config.get('POLICY_FILE', { infer: true });
        return file ? loadPolicyFile(file) : {};
      },
    }),
  ],
  controllers: [PolicyController],
})
export class PolicyHttpModule {}
