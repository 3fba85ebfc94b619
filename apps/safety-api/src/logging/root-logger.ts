import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { Environment } from '../config/environment';
import { createLogRedaction } from '../redaction/log-redaction';

/** Injection token of the process's one pino logger. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * The one pino logger every line goes through: Nest's own logs (PinoNestLogger),
 * request logs (registerRequestLogging) and library logs alike. Its last hook
 * passes each serialized line through the Redactor (see createLogRedaction).
 */
export function createRootLogger(
  env: Pick<Environment, 'LOG_LEVEL'>,
  destination: DestinationStream = process.stdout,
): PinoLogger {
  return pino({ level: env.LOG_LEVEL, base: { service: 'safety-api' }, ...createLogRedaction().options }, destination);
}
