import { DynamicModule, Module, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { PolicyGate } from './policy-gate.service';
import type { PolicyOptions } from './policy-options.types';
import { POLICY_OPTIONS } from './policy.tokens';

export interface PolicyModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => PolicyOptions | Promise<PolicyOptions>;
  global?: boolean;
}

/** Provides PolicyGate. The WASM shell parser loads during module init, so a broken install fails boot. */
@Module({})
export class PolicyModule {
  static forRoot(options: PolicyOptions = {}, global = false): DynamicModule {
    return {
      module: PolicyModule,
      global,
      providers: [{ provide: POLICY_OPTIONS, useValue: options }, PolicyGate],
      exports: [PolicyGate],
    };
  }

  static forRootAsync(options: PolicyModuleAsyncOptions): DynamicModule {
    return {
      module: PolicyModule,
      global: options.global ?? false,
      imports: options.imports ?? [],
      providers: [
        {
          provide: POLICY_OPTIONS,
          useFactory: options.useFactory as (...args: unknown[]) => PolicyOptions,
          inject: options.inject ?? [],
        },
        PolicyGate,
      ],
      exports: [PolicyGate],
    };
  }
}
