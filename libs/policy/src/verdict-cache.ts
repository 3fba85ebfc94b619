import { LRUCache } from 'lru-cache';
import type { MatchedRule } from './engine/finding';
import type { EngineVerdict } from './engine/policy-engine';

/** What a repeated request reuses: the engine's verdict and the masked log fields derived from it. */
export interface CachedVerdict {
  readonly verdict: Readonly<Pick<EngineVerdict, 'outcome' | 'risk' | 'reason' | 'rule_ids' | 'matched_rules'>>;
  /** Absent when decisions were not being logged as the verdict was cached. */
  readonly maskedContext?: Record<string, unknown>;
  readonly maskedCanonical: unknown;
}

/** Requests whose JSON form is longer than this are judged afresh every time (bounds the cache's memory). */
export const MAX_CACHED_REQUEST_CHARS = 1024;
/** Entries kept, least recently used evicted first: at most ~5k × (1 KiB key + verdict), a few MB. */
export const MAX_CACHED_VERDICTS = 5000;

/**
 * Agents repeat themselves (`npm install`, `git status`, the same deploy) and
 * the engine is a pure function of (policy, action, context): the key starts
 * with the policy's version, the cache is cleared when policies are installed,
 * and evaluation does no I/O and reads no clock.
 * So a verdict can be reused for an identical request; each reuse still gets
 * its own decision id and its own decision log line. The key is the request's
 * JSON form (contexts are JSON data); anything that cannot be serialized, or
 * is too long, is not cached. Errors (invalid context, engine failure) never are.
 */
export class VerdictCache {
  private readonly entries = new LRUCache<string, CachedVerdict>({ max: MAX_CACHED_VERDICTS });

  keyFor(policyVersion: string, action: string, context: unknown): string | undefined {
    let json: string | undefined;
    try {
      json = JSON.stringify(context);
    } catch {
      return undefined;
    }
    if (json === undefined || json.length > MAX_CACHED_REQUEST_CHARS) return undefined;
    return `${policyVersion}\u0000${action}\u0000${json}`;
  }

  clear(): void {
    this.entries.clear();
  }

  get(key: string | undefined): CachedVerdict | undefined {
    return key === undefined ? undefined : this.entries.get(key);
  }

  set(key: string | undefined, entry: CachedVerdict): void {
    if (key !== undefined)
      this.entries.set(
        key,
        Object.freeze({
          ...entry,
          verdict: Object.freeze({
            ...entry.verdict,
            rule_ids: Object.freeze([...entry.verdict.rule_ids]) as string[],
            matched_rules: Object.freeze(
              entry.verdict.matched_rules.map((rule) => Object.freeze({ ...rule })),
            ) as MatchedRule[],
          }),
        }),
      );
  }
}
