/**
 * Writes libs/policy/policy.schema.json, the policy file's JSON Schema, from the one the loader
 * validates with (libs/policy/src/policy-file/policy-schema.ts). Point an editor or a CI check
 * (e.g. `ajv validate`) at it. A test fails when the file is stale.
 *
 *   npm run schema:policy
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_SCHEMA } from '../libs/policy/src/policy-file/policy-schema';

export const POLICY_SCHEMA_FILE = join(__dirname, '..', 'libs/policy/policy.schema.json');

export function policySchemaText(): string {
  return JSON.stringify(POLICY_SCHEMA, null, 2) + '\n';
}

if (require.main === module) {
  writeFileSync(POLICY_SCHEMA_FILE, policySchemaText());
  process.stdout.write(`wrote ${POLICY_SCHEMA_FILE}\n`);
}
