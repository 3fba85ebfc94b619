import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The configured API keys, held only as SHA-256 digests. `SAFETY_API_KEYS`
 * entries are plain keys or `sha256:<64 hex>` digests, so plain keys need not
 * sit in config. Matching hashes the presented key and compares digests with
 * timingSafeEqual against every entry (no early exit), so timing reveals
 * neither the key nor which entry matched.
 */
export class ApiKeySet {
  private constructor(private readonly digests: Buffer[]) {}

  static parse(raw: string | undefined): ApiKeySet {
    const entries = (raw ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    return new ApiKeySet(entries.map(toDigest));
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  matches(presented: string): boolean {
    const digest = sha256(presented);
    let found = false;
    for (const candidate of this.digests) found = timingSafeEqual(candidate, digest) || found;
    return found;
  }
}

function toDigest(entry: string): Buffer {
  const hashed = /^sha256:([0-9a-fA-F]{64})$/.exec(entry);
  if (hashed) return Buffer.from(hashed[1], 'hex');
  if (entry.startsWith('sha256:')) throw new Error('SAFETY_API_KEYS has a sha256: entry that is not 64 hex characters');
  return sha256(entry);
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
