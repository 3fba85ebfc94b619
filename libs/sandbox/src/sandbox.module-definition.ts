import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SandboxModuleOptions } from './sandbox.options';

export const {
  ConfigurableModuleClass: ConfigurableSandboxModule,
  MODULE_OPTIONS_TOKEN: SANDBOX_MODULE_OPTIONS,
  OPTIONS_TYPE: SANDBOX_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SANDBOX_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SandboxModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
