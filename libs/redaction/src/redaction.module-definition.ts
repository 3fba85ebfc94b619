import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { RedactionModuleOptions } from './redaction.options';

export const {
  ConfigurableModuleClass: ConfigurableRedactionModule,
  MODULE_OPTIONS_TOKEN: REDACTION_MODULE_OPTIONS,
  OPTIONS_TYPE: REDACTION_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: REDACTION_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<RedactionModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
