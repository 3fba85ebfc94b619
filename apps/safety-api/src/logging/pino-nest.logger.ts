import type { LoggerService } from '@nestjs/common';
import type { Level, Logger as PinoLogger } from 'pino';

const ROUTE_MAPPING_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer']);

/**
 * Nest's LoggerService over the root pino logger, so `new Logger('Ctx').log(...)`
 * anywhere in the app or the libs becomes one structured line with `context`.
 * An object message is merged into the line (its `msg` is the message); an
 * Error is logged under `err` with its stack. `context` is always the logger's
 * name, a string: a message field of that name is overwritten, because a field
 * that is a string on most lines and an object on some breaks log indexes
 * (Elasticsearch/OpenSearch reject the documents whose type disagrees).
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: PinoLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    // Nest's route mapping lines leave out the URI version (`/api/safety/check`): wrong paths are worse than none.
    if (typeof params.at(-1) === 'string' && ROUTE_MAPPING_CONTEXTS.has(params.at(-1) as string)) return;
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest's Logger.error(message, stack?, context?): a stack string travels as a parameter.
    const stack = params.length >= 2 && typeof params[0] === 'string' ? params[0] : undefined;
    this.write('error', message, stack === undefined ? params : params.slice(1), stack);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[], stack?: string): void {
    if (!this.pino.isLevelEnabled(level)) return;
    // Nest appends the logger's context as the last parameter.
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    if (message instanceof Error) {
      this.pino[level]({ context, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...(message as Record<string, unknown>), context });
    } else {
      this.pino[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
