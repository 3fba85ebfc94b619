import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { BudgetModuleOptions } from './budget.options';

export const {
  ConfigurableModuleClass: ConfigurableBudgetModule,
  MODULE_OPTIONS_TOKEN: BUDGET_MODULE_OPTIONS,
  OPTIONS_TYPE: BUDGET_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: BUDGET_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<BudgetModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
