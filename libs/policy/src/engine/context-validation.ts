import { ActionType, ACTION_TYPES } from '../policy.types';
import { PolicyError } from '../policy.errors';

type Kind = 'string' | 'boolean' | 'number' | 'string[]' | 'string map';

/** Documented context fields per action and their types; other keys are accepted and ignored. */
export const CONTEXT_FIELDS: Record<ActionType, Record<string, Kind>> = {
  [ActionType.EXECUTE_CODE]: {
    command: 'string',
    cwd: 'string',
    workspace: 'string',
    branch: 'string',
    environment: 'string',
    db_environment: 'string',
    /** The project's files (path relative to the workspace → content): scripts run from them are judged by their body. */
    files: 'string map',
    /** Environment variables the command runs with: those that change what runs are judged. */
    env: 'string map',
  },
  [ActionType.DEPLOY]: {
    environment: 'string',
    service: 'string',
    target: 'string',
    branch: 'string',
    command: 'string',
    dry_run: 'boolean',
  },
  [ActionType.CREATE_BILLING]: {
    amount_usd: 'number',
    plan: 'string',
    interval: 'string',
    customer: 'string',
    mode: 'string',
  },
  [ActionType.DELETE_FILES]: { path: 'string', paths: 'string[]', workspace: 'string', recursive: 'boolean' },
  [ActionType.NETWORK_ACCESS]: {
    domain: 'string',
    url: 'string',
    port: 'number',
    method: 'string',
    resolved_ip: 'string',
  },
};

/** One of these groups must be present (non-empty) for the action. */
export const REQUIRED_FIELDS: Record<ActionType, string[][]> = {
  [ActionType.EXECUTE_CODE]: [['command']],
  [ActionType.DEPLOY]: [['environment']],
  [ActionType.CREATE_BILLING]: [],
  [ActionType.DELETE_FILES]: [['path', 'paths']],
  [ActionType.NETWORK_ACCESS]: [['domain', 'url']],
};

export function parseAction(action: unknown): ActionType {
  if (typeof action === 'string' && (ACTION_TYPES as string[]).includes(action)) return action as ActionType;
  throw new PolicyError(
    'POLICY_UNKNOWN_ACTION',
    `Unknown action "${String(action)}"; allowed values: ${ACTION_TYPES.join(', ')}.`,
    {
      allowed_actions: [...ACTION_TYPES],
    },
  );
}

/**
 * Bounds on a context, so one request cannot cost the engine, the verdict cache or the decision log
 * more than a command does: top-level keys, nesting depth, values in all, and characters in all
 * strings and keys (a command may be 64 KiB; the rest is metadata).
 */
export const CONTEXT_LIMITS = { keys: 256, depth: 8, values: 4096, chars: 256 * 1024 } as const;

/** Checks the bounds, the documented fields' types and the required ones; errors point at /context/<field>. */
export function validateContext(action: ActionType, context: unknown): Record<string, unknown> {
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw invalid('/context', 'context must be an object');
  }
  const record = context as Record<string, unknown>;
  checkBounds(record);
  for (const [field, kind] of Object.entries(CONTEXT_FIELDS[action])) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    if (!matches(value, kind)) throw invalid(`/context/${field}`, `${field} must be ${describe(kind)}`);
  }
  for (const group of REQUIRED_FIELDS[action]) {
    if (!group.some((field) => present(record[field]))) {
      throw invalid(`/context/${group[0]}`, `${group.join(' or ')} is required for ${action}`);
    }
  }
  return record;
}

function checkBounds(context: Record<string, unknown>): void {
  const keys = Object.keys(context).length;
  if (keys > CONTEXT_LIMITS.keys) {
    throw invalid('/context', `context has ${keys} keys; at most ${CONTEXT_LIMITS.keys} are accepted`);
  }
  let values = 0;
  let chars = 0;
  const walk = (value: unknown, depth: number): void => {
    if (++values > CONTEXT_LIMITS.values) {
      throw invalid('/context', `context holds more than ${CONTEXT_LIMITS.values} values`);
    }
    if (typeof value === 'string') chars += value.length;
    else if (typeof value === 'object' && value !== null) {
      if (depth >= CONTEXT_LIMITS.depth) {
        throw invalid('/context', `context nests deeper than ${CONTEXT_LIMITS.depth} levels`);
      }
      for (const [key, inner] of Object.entries(value)) {
        chars += key.length;
        walk(inner, depth + 1);
      }
    }
    if (chars > CONTEXT_LIMITS.chars) {
      throw invalid('/context', `context holds more than ${CONTEXT_LIMITS.chars} characters of text`);
    }
  };
  walk(context, 0);
}

function matches(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'string map':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((item) => typeof item === 'string')
      );
  }
}

function present(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value))
    return value.length > 0 && value.some((item) => typeof item === 'string' && item.trim() !== '');
  return false;
}

function describe(kind: Kind): string {
  if (kind === 'string[]') return 'a list of strings';
  if (kind === 'string map') return 'an object of strings';
  return `a ${kind}`;
}

function invalid(pointer: string, detail: string): PolicyError {
  return new PolicyError('POLICY_INVALID_CONTEXT', `Invalid context: ${detail}.`, { errors: [{ pointer, detail }] });
}
