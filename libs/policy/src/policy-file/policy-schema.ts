import { ACTION_TYPES, DECISION_OUTCOMES } from '../policy.types';

/**
 * The policy file's JSON Schema (draft-07). It is the single description of the file: the loader
 * validates with it, and `npm run schema:policy` writes it to libs/policy/policy.schema.json for
 * editors and CI pipelines (a test fails when that copy is stale).
 */

/** Built-in rule id families; user rule ids may not start with one, so the two can never collide. */
export const BUILTIN_RULE_FAMILIES = [
  'billing',
  'deploy',
  'engine',
  'exec',
  'fs',
  'git',
  'infra',
  'net',
  'pkg',
  'secret',
  'shell',
  'sql',
  'sys',
] as const;

const nonEmptyString = { type: 'string', minLength: 1, maxLength: 1000, pattern: '\\S' };
const stringList = { type: 'array', items: nonEmptyString, maxItems: 1000 };
const oneOrMany = (description: string) => ({
  description,
  oneOf: [nonEmptyString, { ...stringList, minItems: 1 }],
});
const approverCounts = {
  type: 'object',
  additionalProperties: {
    type: 'integer',
    minimum: 1,
    maximum: 10,
    description: 'must be a whole number of approvers from 1 to 10',
  },
  description: 'Distinct approvers needed (1 to 10) by rule id or action name; the largest that applies wins.',
};

const ruleCommon = {
  id: {
    type: 'string',
    pattern: `^(?!(?:${BUILTIN_RULE_FAMILIES.join('|')})\\.)[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$`,
    description: `Stable id named in decisions (rule_ids). Letters, digits, ". _ : -"; may not start with a built-in family (${BUILTIN_RULE_FAMILIES.map((f) => `${f}.`).join(' ')}).`,
  },
  decision: { enum: DECISION_OUTCOMES, description: 'What the rule decides when it matches.' },
  reason: { ...nonEmptyString, maxLength: 500, description: 'Why; shown in the decision.' },
  relax: {
    type: 'boolean',
    description:
      'Only with decision allow: also lift the built-in approvals raised by what this rule matched (never a deny).',
  },
};

const commandMatch = {
  program: oneOrMany(
    'Program as the engine resolved it (after sudo/env/bash -c/xargs, aliases and paths): a name glob (`terraform`, `python3*`), or a path glob when it contains "/".',
  ),
  args: {
    ...stringList,
    minItems: 1,
    description: 'Globs the first arguments must match, in order (an argv prefix).',
  },
  command: oneOrMany(
    'Globs on the resolved command line: program name and arguments joined by single spaces (`npm run db:*`). "*" also matches spaces and "/".',
  ),
  cwd: oneOrMany('Globs on the directory the command runs in (after cd); relative globs start at the workspace root.'),
};
const pathMatch = {
  paths: oneOrMany(
    'Path globs after workspace resolution ("**" crosses directories); relative globs start at the workspace root, "~/" at home.',
  ),
};
const hostMatch = {
  hosts: oneOrMany(
    'Hosts as the URL parser reads them: exact names, "*.example.com" (subdomains), IP literals or CIDR ranges.',
  ),
  methods: oneOrMany('HTTP methods (GET, POST, ...); without it any method matches.'),
};

function ruleFor(action: string, match: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'action', 'match', 'decision', 'reason'],
    properties: {
      ...ruleCommon,
      action: { const: action },
      match: { type: 'object', additionalProperties: false, minProperties: 1, properties: match, ...extra },
    },
  };
}

export const POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://safety-api.local/schemas/policy.schema.json',
  title: 'Safety API policy file',
  description:
    'POLICY_FILE (global) and POLICY_DIR/<tenant>.yaml (tenant overlay). YAML or JSON. Every key is optional.',
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { const: 1, description: 'File format version; 1 when present.' },
    enable_code_execution: { type: 'boolean', description: 'When false every execute_code request is denied.' },
    workspace_root: { type: 'string', pattern: '^/', description: 'Absolute workspace root.' },
    home_dir: { type: 'string', pattern: '^/', description: "Absolute home directory of the agent's user." },
    protected_branches: { ...stringList, description: 'Branch names or globs that may not be rewritten.' },
    production_environments: { ...stringList, description: 'Environment names treated as production.' },
    regenerable_dirs: { ...stringList, description: 'Directory names inside the workspace that are safe to delete.' },
    max_command_length: { type: 'number', minimum: 0, description: 'Longest command judged automatically.' },
    network: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowlist: { ...stringList, description: 'Hosts, "*.suffix" wildcards, IPs or CIDR ranges.' },
        extend_default_allowlist: { type: 'boolean', description: 'Keep the default registries (default true).' },
        loopback_ports: {
          type: 'array',
          items: { type: 'integer', minimum: 1, maximum: 65535 },
          description: 'Loopback ports treated as local dev servers.',
        },
      },
    },
    billing: {
      type: 'object',
      additionalProperties: false,
      properties: {
        require_approval: { type: 'boolean' },
        auto_allow_below_usd: { type: 'number', minimum: 0 },
        deny_above_usd: { type: ['number', 'null'], minimum: 0 },
      },
    },
    approvals: {
      type: 'object',
      additionalProperties: false,
      properties: { rules: approverCounts, actions: approverCounts },
    },
    disable_rules: {
      ...stringList,
      description: 'Built-in rule ids switched off (only those docs/policy-rules.md marks as switchable).',
    },
    rules: {
      type: 'array',
      maxItems: 5000,
      description: "The team's own rules. Strictest decision wins (deny > approval > allow).",
      items: {
        type: 'object',
        required: ['action'],
        properties: { action: { enum: ACTION_TYPES } },
        discriminator: { propertyName: 'action' },
        oneOf: [
          ruleFor('execute_code', { ...commandMatch, ...pathMatch, ...hostMatch }),
          ruleFor('delete_files', pathMatch),
          ruleFor('network_access', hostMatch),
          ruleFor('deploy', {
            environments: oneOrMany('Environment name globs, compared case-insensitively.'),
            services: oneOrMany('Service name globs.'),
          }),
          ruleFor('create_billing', {
            amount_usd: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: { min: { type: 'number' }, max: { type: 'number' } },
              description: 'Amount range in USD, both ends inclusive.',
            },
          }),
        ],
      },
    },
  },
} as const;
