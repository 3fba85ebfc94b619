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

export interface RedactValueOptions {
  /**
   * Also replace the whole value of a secret-named key (`password`, `token`, `sessionId`, ...), whatever
   * it looks like. Right for logs; off for documents with a fixed shape whose fields must keep their
   * values (an API answer's `session_id`). Default true.
   */
  secretNamedKeys?: boolean;
}

/**
 * Deep copy of a value with every string redacted, object keys included (a secret sent as a
 * field name is still a secret), and, unless turned off, the values of secret-named keys
 * replaced. Only plain objects, arrays and errors are walked: class instances (requests,
 * sockets) are left to their serializers. Cycles and depth beyond 10 are cut.
 */
export function redactValue<T>(redactor: Redactor, value: T, options: RedactValueOptions = {}): T {
  return walk({ redactor, secretNamedKeys: options.secretNamedKeys ?? true }, value, 0, new WeakSet()) as T;
}

interface Walk {
  redactor: Redactor;
  secretNamedKeys: boolean;
}

function walk(context: Walk, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  const { redactor } = context;
  if (typeof value === 'string') return redactor.redactUnbounded(value);
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => walk(context, item, depth + 1, seen));
  if (value instanceof Error) {
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Error & Record<string, unknown>;
    for (const key of Object.keys(value))
      copy[key] = walkEntry(context, key, (value as unknown as Record<string, unknown>)[key], depth, seen);
    Object.defineProperty(copy, 'message', {
      value: walk(context, value.message, depth + 1, seen),
      enumerable: false,
      writable: true,
      configurable: true,
    });
    Object.defineProperty(copy, 'stack', {
      value: walk(context, value.stack, depth + 1, seen),
      enumerable: false,
      writable: true,
      configurable: true,
    });
    if (value.cause !== undefined) copy.cause = walk(context, value.cause, depth + 1, seen);
    return copy;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, not assignment: a `__proto__` key from parsed JSON stays an own key.
    Object.defineProperty(out, freeKey(out, redactor.redactUnbounded(key)), {
      value: walkEntry(context, key, item, depth, seen),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Two keys that redact alike (two secrets of one kind) both stay: the later one gets a `#2`, `#3`... suffix. */
function freeKey(out: Record<string, unknown>, key: string): string {
  if (!Object.hasOwn(out, key)) return key;
  let n = 2;
  while (Object.hasOwn(out, `${key}#${n}`)) n++;
  return `${key}#${n}`;
}

function walkEntry(context: Walk, key: string, item: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (
    context.secretNamedKeys &&
    typeof item === 'string' &&
    item.length > 0 &&
    SENSITIVE_KEY.test(key) &&
    !item.startsWith('[REDACTED:')
  )
    return placeholderFor(key);
  return walk(context, item, depth + 1, seen);
}
