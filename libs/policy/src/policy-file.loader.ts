import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { PolicyError } from './policy.errors';
import type { PolicyOptions } from './policy-options.types';

type FieldKind =
  | 'boolean'
  | 'string'
  | 'absolute-path'
  | 'string[]'
  | 'port[]'
  | 'non-negative'
  | 'non-negative|null'
  | 'approver-counts';
type Schema = { [key: string]: FieldKind | Schema };

/** The policy file's shape; `version` is optional and must be 1 when present. */
const POLICY_FILE_SCHEMA: Schema = {
  version: 'non-negative',
  enable_code_execution: 'boolean',
  workspace_root: 'absolute-path',
  home_dir: 'absolute-path',
  protected_branches: 'string[]',
  production_environments: 'string[]',
  regenerable_dirs: 'string[]',
  max_command_length: 'non-negative',
  network: { allowlist: 'string[]', extend_default_allowlist: 'boolean', loopback_ports: 'port[]' },
  billing: { require_approval: 'boolean', auto_allow_below_usd: 'non-negative', deny_above_usd: 'non-negative|null' },
  approvals: { rules: 'approver-counts', actions: 'approver-counts' },
};

/**
 * Reads and validates a policy file (YAML, or JSON by `.json` extension) at boot.
 * Errors are POLICY_FILE_INVALID naming the file and the offending key, never its value.
 */
export function loadPolicyFile(path: string): PolicyOptions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PolicyError('POLICY_FILE_INVALID', `Policy file ${path} cannot be read (${reason}).`, { file: path });
  }
  return parsePolicyDocument(text, path, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
}

/** Parses policy text (YAML is a superset of JSON, but JSON files get JSON's stricter parser). */
export function parsePolicyDocument(text: string, source = 'policy', format: 'yaml' | 'json' = 'yaml'): PolicyOptions {
  let document: unknown;
  try {
    document = format === 'json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : 'parse error';
    throw new PolicyError(
      'POLICY_FILE_INVALID',
      `Policy file ${source} is not valid ${format.toUpperCase()}: ${reason}`,
      {
        file: source,
      },
    );
  }
  if (document === undefined || document === null) return {};
  return validatePolicyOptions(document, source);
}

/** Validates an options object (file content or programmatic options) against the schema. */
export function validatePolicyOptions(document: unknown, source = 'options'): PolicyOptions {
  validateObject(document, POLICY_FILE_SCHEMA, '', source);
  const options = { ...(document as Record<string, unknown>) };
  if (options.version !== undefined && options.version !== 1) {
    fail(source, 'version', 'must be 1');
  }
  delete options.version;
  return options as PolicyOptions;
}

function validateObject(value: unknown, schema: Schema, prefix: string, source: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(source, prefix || '(root)', 'must be a mapping');
  }
  for (const [key, fieldValue] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const kind = schema[key];
    if (kind === undefined) fail(source, path, `is not a known key (known: ${Object.keys(schema).join(', ')})`);
    if (fieldValue === undefined) continue;
    if (typeof kind === 'object') validateObject(fieldValue, kind, path, source);
    else validateField(fieldValue, kind, path, source);
  }
}

function validateField(value: unknown, kind: FieldKind, path: string, source: string): void {
  switch (kind) {
    case 'boolean':
      if (typeof value !== 'boolean') fail(source, path, 'must be true or false');
      return;
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') fail(source, path, 'must be a non-empty string');
      return;
    case 'absolute-path':
      if (typeof value !== 'string' || !value.startsWith('/')) fail(source, path, 'must be an absolute path');
      return;
    case 'string[]':
      if (!Array.isArray(value)) fail(source, path, 'must be a list of strings');
      (value as unknown[]).forEach((item, index) => {
        if (typeof item !== 'string' || item.trim() === '')
          fail(source, `${path}[${index}]`, 'must be a non-empty string');
      });
      return;
    case 'port[]':
      if (!Array.isArray(value)) fail(source, path, 'must be a list of ports');
      (value as unknown[]).forEach((item, index) => {
        if (!Number.isInteger(item) || (item as number) < 1 || (item as number) > 65535) {
          fail(source, `${path}[${index}]`, 'must be a port number 1-65535');
        }
      });
      return;
    case 'non-negative':
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        fail(source, path, 'must be a number >= 0');
      return;
    case 'approver-counts':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        fail(source, path, 'must map rule ids or actions to a number of approvers');
      }
      for (const [name, count] of Object.entries(value as Record<string, unknown>)) {
        if (!Number.isInteger(count) || (count as number) < 1 || (count as number) > 10) {
          fail(source, `${path}.${name}`, 'must be a whole number of approvers from 1 to 10');
        }
      }
      return;
    case 'non-negative|null':
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0)) {
        fail(source, path, 'must be a number >= 0 or null');
      }
      return;
  }
}

function fail(source: string, key: string, problem: string): never {
  throw new PolicyError('POLICY_FILE_INVALID', `Policy file ${source}: key "${key}" ${problem}.`, {
    file: source,
    key,
  });
}
