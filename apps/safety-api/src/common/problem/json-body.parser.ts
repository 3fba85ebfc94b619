import type { FastifyRequest } from 'fastify';
import secureJson from 'secure-json-parse';
import { STRIPPED_KEYS } from '../validation/body-validation-plan';
import { escapePointer } from './request-validation.error';

/** Becomes 400 MALFORMED_JSON (caught by the problem filter by its code). */
export class MalformedJsonError extends Error {
  readonly code = 'MALFORMED_JSON';
  constructor(message = 'The request body is not valid JSON.') {
    super(message);
    this.name = 'MalformedJsonError';
  }
}

/** Deeper bodies are refused before parsing: no request of ours nests this far, and deep recursion is a stack-exhaustion vector downstream. */
export const MAX_JSON_DEPTH = 64;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Our only body parser. Every endpoint takes a JSON object: a body that is not UTF-8 (RFC 8259),
 * nests absurdly deep, is not an object, or holds a prototype-pollution key (`__proto__`,
 * `prototype`, `constructor`, at any depth) is refused before any handler runs.
 */
export function parseJsonBody(
  _request: FastifyRequest,
  raw: Buffer,
  done: (error: Error | null, value?: unknown) => void,
): void {
  let body: string;
  try {
    body = strictUtf8.decode(raw);
  } catch {
    return done(new MalformedJsonError('The request body is not valid UTF-8.'));
  }
  if (body.trim() === '')
    return done(new MalformedJsonError('The request body is empty but content-type is application/json.'));
  // Nesting deeper than the limit takes more characters than that; shorter bodies skip the scan.
  if (body.length > MAX_JSON_DEPTH && exceedsDepth(body, MAX_JSON_DEPTH)) {
    return done(new MalformedJsonError(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`));
  }
  let value: unknown;
  try {
    value = secureJson.parse(body, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    // secure-json-parse refuses valid JSON holding a `__proto__` key with this message: say where it is.
    // (A plain JSON.parse makes such a key an ordinary own property, so reading it back pollutes nothing.)
    const pointer =
      error instanceof SyntaxError && /forbidden prototype property/.test(error.message)
        ? prototypeKeyPointer(parseOrUndefined(body), '')
        : undefined;
    return done(
      new MalformedJsonError(
        pointer === undefined
          ? 'The request body is not valid JSON.'
          : `The request body contains a forbidden prototype key at ${pointer}.`,
      ),
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return done(new MalformedJsonError('The request body must be a JSON object.'));
  }
  // Such a key is spelled out in the text, or hidden behind a \u escape; other bodies skip the walk.
  const pointer = /prototype|constructor|\\u/.test(body) ? prototypeKeyPointer(value, '') : undefined;
  if (pointer !== undefined) {
    return done(new MalformedJsonError(`The request body contains a forbidden prototype key at ${pointer}.`));
  }
  done(null, value);
}

/**
 * JSON Pointer (RFC 6901) of the first own key, depth first, that Nest's validation pipe would delete
 * silently before validating (`prototype`, `constructor`; secure-json-parse already refuses `__proto__`):
 * a body carrying one was accepted with part of it ignored, so it is refused instead.
 */
function prototypeKeyPointer(value: unknown, at: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    const pointer = `${at}/${escapePointer(key)}`;
    if (key === '__proto__' || STRIPPED_KEYS.has(key)) return pointer;
    const found = prototypeKeyPointer((value as Record<string, unknown>)[key], pointer);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Linear scan of bracket depth outside strings. */
function exceedsDepth(body: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

function parseOrUndefined(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
