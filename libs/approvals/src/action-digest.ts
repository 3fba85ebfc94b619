import { createHash } from 'node:crypto';

/**
 * The context fields each action's rules judge: what an approval binds. Anything else in a context
 * (a run id, notes) does not change what would happen, so it does not change the digest.
 */
export const DIGEST_FIELDS: Readonly<Record<string, readonly string[]>> = {
  execute_code: ['command', 'cwd', 'workspace', 'branch', 'environment', 'db_environment', 'files', 'env'],
  deploy: ['environment', 'service', 'target', 'branch', 'command', 'dry_run'],
  create_billing: ['amount_usd', 'plan', 'interval', 'customer', 'mode'],
  delete_files: ['path', 'paths', 'workspace', 'recursive'],
  network_access: ['domain', 'url', 'port', 'method', 'resolved_ip'],
};

/**
 * `action_digest`: lower-case hex SHA-256 of the canonical JSON of `{ "action": <action>,
 * "context": { <judged fields present> } }`: object keys sorted by UTF-16 code units at every
 * depth, no whitespace, strings and numbers as JSON.stringify writes them (RFC 8785 for the values
 * a context holds). An executor recomputes it from the action it is about to run.
 */
export function actionDigest(action: string, context: Record<string, unknown>): string {
  const fields = DIGEST_FIELDS[action] ?? Object.keys(context);
  const judged = Object.fromEntries(fields.filter((field) => context[field] !== undefined).map((f) => [f, context[f]]));
  return createHash('sha256')
    .update(canonicalJson({ action, context: judged }), 'utf8')
    .digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
