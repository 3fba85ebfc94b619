import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { ApprovalsModuleOptions } from './approvals.options';

export const { ConfigurableModuleClass: ConfigurableApprovalsModule, MODULE_OPTIONS_TOKEN: APPROVALS_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<ApprovalsModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
