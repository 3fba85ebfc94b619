import Ajv, { type ErrorObject } from 'ajv';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isMap, isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { PolicyError } from '../policy.errors';
import type { PolicyOptions } from '../policy-options.types';
import { POLICY_SCHEMA } from './policy-schema';
import { checkRuleSemantics } from './rule-semantics';

/** One source of policy: the global file, a tenant's overlay, or options given in code. */
export interface PolicyLayer {
  /** File path, or `options` for programmatic options. */
  source: string;
  options: PolicyOptions;
  /** Line of each entry of `options.rules` in the source (undefined for options given in code). */
  ruleLines: (number | undefined)[];
  /** SHA-256 of the source text: what the policy version is made of. */
  digest: string;
}

/** One problem found in a policy file: the key as a dotted path, its line when known, what is wrong. */
export interface PolicyFileProblem {
  key: string;
  line?: number;
  message: string;
}

const MAX_REPORTED_PROBLEMS = 20;

const validateSchema = new Ajv({ allErrors: true, discriminator: true, verbose: true, strict: false }).compile(
  POLICY_SCHEMA,
);

/**
 * Reads and validates a policy file (YAML, or JSON by `.json` extension). `source` names the file
 * in errors and in decisions' `matched_rules` (default: the path).
 */
export function loadPolicyLayer(path: string, source = path): PolicyLayer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PolicyError('POLICY_FILE_INVALID', `Policy file ${source} cannot be read (${reason}).`, { file: source });
  }
  return parsePolicyLayer(text, source, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
}

/** The options of a policy file (see loadPolicyLayer). */
export function loadPolicyFile(path: string): PolicyOptions {
  return loadPolicyLayer(path).options;
}

/** The options of policy text (see parsePolicyLayer). */
export function parsePolicyDocument(text: string, source = 'policy', format: 'yaml' | 'json' = 'yaml'): PolicyOptions {
  return parsePolicyLayer(text, source, format).options;
}

/**
 * Parses and validates policy text against policy.schema.json. Errors are POLICY_FILE_INVALID naming
 * the file, the key and its line, never a value. JSON is read by the YAML parser (YAML 1.2 is a JSON
 * superset), which is what gives JSON files line numbers too.
 */
export function parsePolicyLayer(text: string, source = 'policy', format: 'yaml' | 'json' = 'yaml'): PolicyLayer {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const first = document.errors[0];
    const line = lines.linePos(first.pos[0]).line;
    throw new PolicyError(
      'POLICY_FILE_INVALID',
      `Policy file ${source}: line ${line}: not valid ${format.toUpperCase()}: ${first.message.split('\n')[0]}`,
      { file: source, line, errors: [{ key: '(root)', line, message: first.message.split('\n')[0] }] },
    );
  }
  const value: unknown = document.toJS({ maxAliasCount: 100 });
  const lineOf = (segments: (string | number)[], keyOfLast = false) => nodeLine(document, lines, segments, keyOfLast);
  const options = value === null || value === undefined ? {} : validateDocument(value, source, lineOf);
  return {
    source,
    options,
    ruleLines: (options.rules ?? []).map((_, index) => lineOf(['rules', index])),
    digest: sha256(text),
  };
}

/** Validates an options object (programmatic options) against the same schema. */
export function validatePolicyOptions(document: unknown, source = 'options'): PolicyOptions {
  return validateDocument(document, source, () => undefined);
}

/** A layer for options given in code; its digest is that of their JSON form. */
export function optionsLayer(options: PolicyOptions, source = 'options'): PolicyLayer {
  const validated = validatePolicyOptions(options, source);
  return {
    source,
    options: validated,
    ruleLines: (validated.rules ?? []).map(() => undefined),
    digest: sha256(JSON.stringify(validated)),
  };
}

type LineOf = (segments: (string | number)[], keyOfLast?: boolean) => number | undefined;

function validateDocument(document: unknown, source: string, lineOf: LineOf): PolicyOptions {
  const problems: PolicyFileProblem[] = [];
  if (!validateSchema(document)) problems.push(...describeSchemaErrors(validateSchema.errors ?? [], lineOf));
  else problems.push(...checkRuleSemantics(document as PolicyOptions, lineOf));
  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    const first = problems[0];
    throw new PolicyError(
      'POLICY_FILE_INVALID',
      `Policy file ${source}:${first.line === undefined ? '' : ` line ${first.line}:`} key "${first.key}" ${first.message}.` +
        (problems.length > 1 ? ` (${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : ''),
      { file: source, key: first.key, line: first.line, errors: problems.slice(0, MAX_REPORTED_PROBLEMS) },
    );
  }
  const options = { ...(document as PolicyOptions & { version?: number }) };
  delete options.version;
  return options;
}

/** One problem per key: Ajv reports every failed branch of a `oneOf`, a reader wants the gist. */
function describeSchemaErrors(errors: ErrorObject[], lineOf: LineOf): PolicyFileProblem[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    const segments = pointerSegments(error.instancePath);
    const key =
      error.keyword === 'additionalProperties'
        ? [...segments, (error.params as { additionalProperty: string }).additionalProperty]
        : error.keyword === 'discriminator'
          ? [...segments, (error.params as { tag: string }).tag]
          : segments;
    const id = JSON.stringify(key);
    byPath.set(id, [...(byPath.get(id) ?? []), error]);
  }
  const problems: PolicyFileProblem[] = [];
  for (const [id, group] of byPath) {
    const segments = JSON.parse(id) as (string | number)[];
    const unknownKey = group.find((e) => e.keyword === 'additionalProperties');
    problems.push({
      key: dotted(segments),
      line: lineOf(segments, unknownKey !== undefined),
      message: unknownKey ? unknownKeyMessage(unknownKey) : groupMessage(group),
    });
  }
  return problems;
}

function unknownKeyMessage(error: ErrorObject): string {
  const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
  return `is not a known key (known: ${known.join(', ')})`;
}

function groupMessage(group: ErrorObject[]): string {
  const specific = group.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'if');
  const types = [...new Set(specific.filter((e) => e.keyword === 'type').map((e) => e.params.type as string))];
  if (types.length > 1 || (types.length === 1 && specific.length > 1 && group.some((e) => e.keyword === 'oneOf'))) {
    return `must be ${types.map((t) => (t === 'array' ? 'a list' : `a ${t}`)).join(' or ')}`;
  }
  const error = specific[0] ?? group[0];
  // Schemas whose description is phrased as the rule ("must be ...") say it better than Ajv.
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  if (description?.startsWith('must ')) return description;
  switch (error.keyword) {
    case 'pattern':
      return `is not valid: ${(error.parentSchema as { description?: string })?.description ?? `must match ${String(error.params.pattern)}`}`;
    case 'enum':
      return `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(error.params.allowedValue)}`;
    case 'discriminator':
      return `must be one of ${(POLICY_SCHEMA.properties.rules.items.properties.action.enum as readonly string[]).join(', ')}`;
    case 'minProperties':
      return 'must name at least one thing to match';
    default:
      return error.message ?? 'is not valid';
  }
}

function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function dotted(segments: (string | number)[]): string {
  if (segments.length === 0) return '(root)';
  return segments.reduce<string>(
    (path, segment) => (typeof segment === 'number' ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment),
    '',
  );
}

function nodeLine(
  document: Document,
  lines: LineCounter,
  segments: (string | number)[],
  keyOfLast: boolean,
): number | undefined {
  if (keyOfLast && segments.length > 0) {
    const parent = segments.length === 1 ? document.contents : document.getIn(segments.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isNode(item.key) && (item.key.toJSON() as unknown) === segments.at(-1));
      if (pair && isNode(pair.key) && pair.key.range) return lines.linePos(pair.key.range[0]).line;
    }
  }
  for (let length = segments.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(segments.slice(0, length), true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
