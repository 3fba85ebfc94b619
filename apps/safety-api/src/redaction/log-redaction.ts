import { Redactor, redactValue } from '@app/redaction';
import type { LoggerOptions } from 'pino';

type Serializer = (value: unknown) => unknown;

/**
 * Makes every line pino writes pass through the Redactor:
 * - `hooks.logMethod`: the message and interpolation strings;
 * - `formatters.log` / `formatters.bindings`: every string in logged objects
 *   and child bindings, plus the values of secret-named keys (`password`, `token`, …);
 * - `wrapSerializers`: what serializers produce (request route, errors), which
 *   pino computes after `formatters.log` runs.
 * Log lines have no size limit (the Redactor is linear in any case).
 */
export function createLogRedaction(redactor: Redactor = new Redactor({ maxTextBytes: Number.POSITIVE_INFINITY })) {
  const options: Pick<LoggerOptions, 'formatters' | 'hooks'> = {
    formatters: {
      log: (object) => redactValue(redactor, object),
      bindings: (bindings) => redactValue(redactor, bindings),
    },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((arg) => (typeof arg === 'string' ? redactor.redactUnbounded(arg) : arg));
        return method.apply(this, redacted as Parameters<typeof method>);
      },
    },
  };
  const wrapSerializers = <T extends Record<string, Serializer>>(serializers: T): T =>
    Object.fromEntries(Object.entries(serializers).map(([key, fn]) => [key, (value: unknown) => redactValue(redactor, fn(value))])) as T;
  return { options, wrapSerializers, redactor };
}
