import type { Redactor } from './redactor';

/** Object keys whose string values are secrets whatever they look like (`{ password: "hunter2" }`). */
const SENSITIVE_KEY =
  /(?:password|passwd|passphrase|pwd|secret|token|apikey|api[_-]key|authorization|cookie|credentials?|privatekey|private[_-]key|accesskey|access[_-]key|sessionid|session[_-]id)$/i;
const MAX_DEPTH = 10;

function placeholderFor(key: string): string {
  return `[REDACTED:${key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase()}]`;
}

/**
 * Deep copy of a log value with every string redacted and the values of
 * secret-named keys replaced. Only plain objects, arrays and errors are
 * walked: class instances (requests, sockets) are left to their serializers.
 * Cycles and depth beyond 10 are cut.
 */
export function redactValue<T>(redactor: Redactor, value: T): T {
  return walk(redactor, value, 0, new WeakSet()) as T;
}

function walk(redactor: Redactor, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactor.redactUnbounded(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => walk(redactor, item, depth + 1, seen));
  if (value instanceof Error) {
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error & Record<string, unknown>;
    for (const key of Object.keys(value))
      copy[key] = walkEntry(redactor, key, (value as unknown as Record<string, unknown>)[key], depth, seen);
    Object.defineProperty(copy, 'message', {
      value: walk(redactor, value.message, depth + 1, seen),
      enumerable: false,
      writable: true,
      configurable: true,
    });
    Object.defineProperty(copy, 'stack', {
      value: walk(redactor, value.stack, depth + 1, seen),
      enumerable: false,
      writable: true,
      configurable: true,
    });
    if (value.cause !== undefined) copy.cause = walk(redactor, value.cause, depth + 1, seen);
    return copy;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = walkEntry(redactor, key, item, depth, seen);
  return out;
}

function walkEntry(redactor: Redactor, key: string, item: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof item === 'string' && item.length > 0 && SENSITIVE_KEY.test(key) && !item.startsWith('[REDACTED:'))
    return placeholderFor(key);
  return walk(redactor, item, depth + 1, seen);
}
