import type { OpenAPIObject } from '@nestjs/swagger';

/** One line per tag, shown by Swagger UI and generated clients; a tag used by an operation but missing here fails the lint test. */
export const TAG_DESCRIPTIONS: Readonly<Record<string, string>> = {
  policy: 'PolicyGate: decide whether an agent may run a command, deploy, bill, delete files or reach the network.',
  budget: 'Per-run money budgets: exact, atomic under concurrency, idempotent spends, reservations, alerts.',
  redaction: 'Redactor: scrub secrets from text before it is logged, stored or returned.',
  sandbox: 'Run agent code in an isolated sandbox, with policy, budget and redaction applied end to end.',
  audit: "A run's append-only audit trail.",
  approvals:
    'Human approval: ask, decide, wait, and use a single-use grant bound to the exact action; receipts verify offline.',
  auth: 'Who an API key is: its principal id, tenant and role (every route states the role it needs in x-required-role).',
  health: 'Kubernetes probes (public, outside the API prefix).',
};

/**
 * Small fixes to what @nestjs/swagger emits, so the committed document lints clean:
 * - a named enum without a description is emitted as `allOf: [{ $ref }]`, a
 *   one-element composition that means just the `$ref`;
 * - tags are declared at the top level (with descriptions) in a stable order.
 */
export function normalizeDocument(document: OpenAPIObject): OpenAPIObject {
  unwrapSingleAllOf(document);
  const used = new Set<string>();
  for (const pathItem of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(pathItem as Record<string, { tags?: string[] }>)) {
      for (const tag of operation?.tags ?? []) used.add(tag);
    }
  }
  const declared = new Map((document.tags ?? []).map((tag) => [tag.name, tag]));
  for (const name of used) {
    if (!declared.has(name))
      declared.set(name, { name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) });
  }
  document.tags = [...declared.values()].sort(
    (a, b) => tagRank(a.name) - tagRank(b.name) || a.name.localeCompare(b.name),
  );
  return document;
}

function tagRank(name: string): number {
  const order = Object.keys(TAG_DESCRIPTIONS);
  const index = order.indexOf(name);
  return index === -1 ? order.length : index;
}

function unwrapSingleAllOf(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(unwrapSingleAllOf);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (isLoneAllOf(value)) record[key] = value.allOf[0];
    unwrapSingleAllOf(record[key]);
  }
}

function isLoneAllOf(value: unknown): value is { allOf: [unknown] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const allOf = (value as { allOf?: unknown }).allOf;
  return keys.length === 1 && keys[0] === 'allOf' && Array.isArray(allOf) && allOf.length === 1;
}
