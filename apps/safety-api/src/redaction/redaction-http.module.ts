import { RedactionModule, RedactionPool } from '@app/redaction';
import { Inject, Module, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment';
import { RedactionController } from './redaction.controller';

/**
 * HTTP feature for @app/redaction; the module is global so the sandbox and logging share one compiled
 * catalogue. With REDACT_WORKERS > 0, large texts sent to POST /redact are redacted in worker threads.
 */
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
  providers: [
    {
      provide: RedactionPool,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>): RedactionPool | null => {
        const threads = config.get('REDACT_WORKERS', { infer: true });
        if (threads === 0) return null;
        return new RedactionPool({
          threads,
          redactor: { maxTextBytes: config.get('REDACT_MAX_TEXT_BYTES', { infer: true }) },
        });
      },
    },
  ],
  controllers: [RedactionController],
})
export class RedactionHttpModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(RedactionPool) private readonly pool: RedactionPool | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.destroy();
  }
}
