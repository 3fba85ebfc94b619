import { RedactionModule } from '@app/redaction';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { RedactionController } from './redaction.controller';

/** HTTP feature for @app/redaction; the module is global so the sandbox and logging share one compiled catalogue. */
@Module({
  imports: [
    RedactionModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        maxTextBytes: config.get('REDACT_MAX_TEXT_BYTES', { infer: true }),
      }),
    }),
  ],
  controllers: [RedactionController],
})
export class RedactionHttpModule {}
