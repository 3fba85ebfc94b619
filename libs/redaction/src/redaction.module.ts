import { Module } from '@nestjs/common';
import { ConfigurableRedactionModule, REDACTION_MODULE_OPTIONS } from './redaction.module-definition';
import type { RedactionModuleOptions } from './redaction.options';
import { RedactionService } from './redaction.service';
import { Redactor } from './redactor';

/**
 * Secret redaction. `RedactionModule.forRoot({ customPatterns, maxTextBytes })`
 * or `forRootAsync({ inject, useFactory })`. Custom patterns are validated
 * (syntax, linear time) when the module is built, so a bad one stops boot.
 */
@Module({
  providers: [
    {
      provide: Redactor,
      inject: [REDACTION_MODULE_OPTIONS],
      useFactory: (options: RedactionModuleOptions) => new Redactor(options),
    },
    RedactionService,
  ],
  exports: [RedactionService, Redactor],
})
export class RedactionModule extends ConfigurableRedactionModule {}
