import { createHash } from 'node:crypto';
import { load as loadYaml } from 'js-yaml';
import { ROLES, type Role, TENANT_PATTERN, DEFAULT_TENANT } from './principal';

/** One principal of the keys file, its key digests normalised to lower-case hex. */
export interface KeyEntry {
  id: string;
  tenant: string;
  role: Role;
  sha256: string[];
}

const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const ENTRY_FIELDS = new Set(['id', 'tenant', 'role', 'sha256']);

/** A keys file that does not validate; the message names the entry and the field. */
export class KeysFileError extends Error {}

/**
 * Parses and validates the keys file (YAML, which includes JSON):
 * `keys: [{ id, tenant, role, sha256 }]`, `sha256` one hex digest or a list of them (rotation).
 * Unknown fields are refused so a typo (`sha265:`) cannot silently drop a key or a restriction.
 */
export function parseKeysFile(text: string, source: string): KeyEntry[] {
  let document: unknown;
  try {
    document = loadYaml(text, { filename: source, json: true });
  } catch (error) {
    throw new KeysFileError(`${source}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  if (!isObject(document) || !Array.isArray(document.keys)) {
    throw new KeysFileError(`${source}: must be an object with a "keys" list`);
  }
  const extra = Object.keys(document).filter((key) => key !== 'keys');
  if (extra.length) throw new KeysFileError(`${source}: unknown top-level field "${extra[0]}" (only "keys")`);

  const entries = document.keys.map((raw, index) => parseEntry(raw, `${source}: keys[${index}]`));
  const ids = new Map<string, number>();
  const digests = new Map<string, string>();
  entries.forEach((entry, index) => {
    const at = `${source}: keys[${index}] (id "${entry.id}")`;
    if (ids.has(entry.id)) throw new KeysFileError(`${at}: id repeats keys[${ids.get(entry.id)}]`);
    ids.set(entry.id, index);
    for (const digest of entry.sha256) {
      const owner = digests.get(digest);
      if (owner) throw new KeysFileError(`${at}: sha256 ${digest.slice(0, 12)}… is also the key of "${owner}"`);
      digests.set(digest, entry.id);
    }
  });
  return entries;
}

function parseEntry(raw: unknown, at: string): KeyEntry {
  if (!isObject(raw)) throw new KeysFileError(`${at}: must be an object with id, tenant, role and sha256`);
  const where = typeof raw.id === 'string' ? `${at} (id "${raw.id}")` : at;
  const unknown = Object.keys(raw).find((key) => !ENTRY_FIELDS.has(key));
  if (unknown) throw new KeysFileError(`${where}: unknown field "${unknown}" (allowed: id, tenant, role, sha256)`);
  if (typeof raw.id !== 'string' || !KEY_ID_PATTERN.test(raw.id)) {
    throw new KeysFileError(
      `${where}: id must be 1-64 characters: letters, digits, . _ - (starting with one of the first two)`,
    );
  }
  if (typeof raw.tenant !== 'string' || !TENANT_PATTERN.test(raw.tenant)) {
    throw new KeysFileError(`${where}: tenant must match [a-z0-9-]{1,63}`);
  }
  if (typeof raw.role !== 'string' || !(ROLES as readonly string[]).includes(raw.role)) {
    throw new KeysFileError(`${where}: role must be one of ${ROLES.join(', ')}`);
  }
  const digests = Array.isArray(raw.sha256) ? raw.sha256 : [raw.sha256];
  if (digests.length === 0 || digests.some((digest) => typeof digest !== 'string' || !SHA256_HEX.test(digest))) {
    throw new KeysFileError(
      `${where}: sha256 must be the 64-hex-character SHA-256 of the key, or a non-empty list of them`,
    );
  }
  return {
    id: raw.id,
    tenant: raw.tenant,
    role: raw.role as Role,
    sha256: (digests as string[]).map((d) => d.toLowerCase()),
  };
}

/**
 * `SAFETY_API_KEYS` (comma-separated keys or `sha256:<hex>` digests), as before principals existed:
 * each is an admin of the default tenant. Its id is derived from the digest, so logs never show the key.
 */
export function parseLegacyKeys(raw: string | undefined): KeyEntry[] {
  return (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const hashed = /^sha256:([0-9a-fA-F]{64})$/.exec(entry);
      if (!hashed && entry.startsWith('sha256:')) {
        throw new KeysFileError('SAFETY_API_KEYS has a sha256: entry that is not 64 hex characters');
      }
      const digest = hashed ? hashed[1].toLowerCase() : sha256Hex(entry);
      return { id: `key-${digest.slice(0, 12)}`, tenant: DEFAULT_TENANT, role: 'admin' as const, sha256: [digest] };
    });
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
