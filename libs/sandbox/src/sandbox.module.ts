import { Module } from '@nestjs/common';
import { E2bSandboxProvider } from './adapters/e2b/e2b-sandbox.provider';
import { LocalBwrapSandboxProvider } from './adapters/local/local-bwrap-sandbox.provider';
import { SandboxBudget } from './ports/sandbox-budget.port';
import { SandboxPolicy } from './ports/sandbox-policy.port';
import { SandboxProvider } from './ports/sandbox-provider.port';
import { SandboxRedactor } from './ports/sandbox-redactor.port';
import { SandboxError } from './sandbox.errors';
import { ConfigurableSandboxModule, SANDBOX_MODULE_OPTIONS } from './sandbox.module-definition';
import { resolveSandboxSettings, type SandboxModuleOptions } from './sandbox.options';
import { SandboxService } from './sandbox.service';
import { SANDBOX_SETTINGS } from './sandbox.tokens';

/**
 * Sandboxed execution. `SandboxModule.forRoot({ provider, policy, budget, redactor, ... })`
 * or `forRootAsync({ imports, inject, useFactory })`. `policy` and `budget` are
 * PolicyGate and BudgetService (they satisfy the ports as they are).
 */
@Module({
  providers: [
    { provide: SANDBOX_SETTINGS, inject: [SANDBOX_MODULE_OPTIONS], useFactory: resolveSandboxSettings },
    { provide: SandboxProvider, inject: [SANDBOX_MODULE_OPTIONS], useFactory: createProvider },
    {
      provide: SandboxPolicy,
      inject: [SANDBOX_MODULE_OPTIONS],
      useFactory: (options: SandboxModuleOptions) => options.policy,
    },
    {
      provide: SandboxBudget,
      inject: [SANDBOX_MODULE_OPTIONS],
      useFactory: (options: SandboxModuleOptions) => options.budget,
    },
    {
      provide: SandboxRedactor,
      inject: [SANDBOX_MODULE_OPTIONS],
      useFactory: (options: SandboxModuleOptions) => options.redactor,
    },
    SandboxService,
  ],
  exports: [SandboxService, SandboxProvider],
})
export class SandboxModule extends ConfigurableSandboxModule {}

function createProvider(options: SandboxModuleOptions): SandboxProvider {
  if (options.providerInstance) return options.providerInstance;
  if (options.provider === 'e2b') {
    if (!options.e2b?.apiKey)
      throw new SandboxError('SANDBOX_UNAVAILABLE', 'The E2B provider needs an API key (E2B_API_KEY).');
    return new E2bSandboxProvider(options.e2b);
  }
  // Hosts the proxy admits are also put to PolicyGate's network rules at connect time, with the run id.
  const policy = options.policy;
  return new LocalBwrapSandboxProvider({
    egressCheck: async (host, port) => {
      const decision = await policy.check('network_access', { domain: host, port });
      return {
        allowed: decision.decision === 'allow' && decision.allowed,
        reason: decision.reason,
        decisionId: decision.decision_id,
      };
    },
    ...options.local,
  });
}
