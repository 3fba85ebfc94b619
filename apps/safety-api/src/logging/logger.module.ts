import { POLICY_DECISION_LOG_ENABLED, type DecisionLogEnabled } from '@app/policy';
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import type { Environment } from '../config/environment';
import { PinoNestLogger } from './pino-nest.logger';
import { createRootLogger, ROOT_LOGGER } from './root-logger';

export interface LoggingOptions {
  /** Where log lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs through pino: the root logger, and Nest's LoggerService
 * over it. Request lines are written by registerRequestLogging (app.setup.ts).
 * Every line is redacted before it is written (see createLogRedaction).
 */
@Global()
@Module({})
export class AppLoggerModule {
  static forEnvironment(env: Environment, options: LoggingOptions = {}): DynamicModule {
    const root = createRootLogger(env, options.destination);
    return {
      module: AppLoggerModule,
      providers: [
        { provide: ROOT_LOGGER, useValue: root },
        { provide: PinoNestLogger, useValue: new PinoNestLogger(root) },
        // PolicyGate builds its decision-log entry only when info lines are written.
        {
          provide: POLICY_DECISION_LOG_ENABLED,
          useValue: (() => root.isLevelEnabled('info')) satisfies DecisionLogEnabled,
        },
      ],
      exports: [ROOT_LOGGER, PinoNestLogger, POLICY_DECISION_LOG_ENABLED],
    };
  }
}
