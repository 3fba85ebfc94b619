import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TestRole = 'agent' | 'operator' | 'admin';

export interface TestPrincipal {
  id: string;
  tenant: string;
  role: TestRole;
  key: string;
}

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

/** One principal per role in each tenant, keys unique to `label` (suites share one Redis and its rate-limit keys). */
export function principalsFor(label: string, tenants: string[]): TestPrincipal[] {
  return tenants.flatMap((tenant) =>
    (['agent', 'operator', 'admin'] as const).map((role) => ({
      id: `${tenant}-${role}`,
      tenant,
      role,
      key: `${label}-${tenant}-${role}-key-0123456789`,
    })),
  );
}

/** The keys file for these principals (only digests, as in production). */
export function keysFileYaml(principals: TestPrincipal[]): string {
  return `keys:\n${principals
    .map((p) => `  - id: ${p.id}\n    tenant: ${p.tenant}\n    role: ${p.role}\n    sha256: ${sha256(p.key)}\n`)
    .join('')}`;
}

/** Writes the keys file to a fresh temporary directory; returns its path. */
export function writeKeysFile(principals: TestPrincipal[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'safety-keys-')), 'keys.yaml');
  writeFileSync(file, keysFileYaml(principals));
  return file;
}
