import { FixedWindowCounters } from '../common/fixed-window/fixed-window-counters';
import type { StoreRedis } from '../redis/redis.tokens';

/** One request counted against its principal's and its tenant's allowances. */
export interface RateLimitHit {
  tenant: string;
  /** The principal id, or the client address when authentication is off. */
  caller: string;
}

export type RateLimitVerdict = { limited: false } | { limited: true; scope: 'caller' | 'tenant'; retryAfterMs: number };

export interface RateLimits {
  /** Requests per caller per window. */
  callerMax: number;
  /** Requests per tenant per window; 0 = no tenant limit. */
  tenantMax: number;
  windowMs: number;
}

/**
 * Counts a request against both allowances in one step. Fixed windows: a counter starts at the first
 * request and expires `windowMs` later; past the limit, requests are refused until it expires.
 */
export abstract class RateLimiter {
  abstract hit(hit: RateLimitHit): Promise<RateLimitVerdict>;
}

/**
 * Both counters in one script call, so the production shape pays one Redis round trip per request
 * (the throttler library counted each limit in a round trip of its own: see BENCHMARKS.md). The two
 * keys share the tenant's hash tag, so the script runs on one Cluster slot.
 */
const HIT = `
local function hit(key)
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  return n
end
if hit(KEYS[1]) > tonumber(ARGV[2]) then return {1, redis.call('PTTL', KEYS[1])} end
if tonumber(ARGV[3]) > 0 and hit(KEYS[2]) > tonumber(ARGV[3]) then return {2, redis.call('PTTL', KEYS[2])} end
return {0, 0}
`;

/**
 * While Redis cannot answer, requests are counted by `fallback` (this process's own counters) and
 * `onDegraded` is told: a call that needs no Redis (`/check`, `/redact`) keeps working under a
 * per-replica limit, and the budget calls still fail closed on their own.
 */
export class RedisRateLimiter extends RateLimiter {
  constructor(
    private readonly redis: StoreRedis,
    private readonly limits: RateLimits,
    private readonly fallback: RateLimiter,
    private readonly onDegraded: () => void,
  ) {
    super();
    redis.defineCommand('safetyRateLimitHit', { lua: HIT, numberOfKeys: 2 });
  }

  async hit(hit: RateLimitHit): Promise<RateLimitVerdict> {
    try {
      return await this.hitInRedis(hit);
    } catch {
      this.onDegraded();
      return this.fallback.hit(hit);
    }
  }

  private async hitInRedis({ tenant, caller }: RateLimitHit): Promise<RateLimitVerdict> {
    const run = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, number]>>)
      .safetyRateLimitHit;
    const [scope, ttl] = await run.call(
      this.redis,
      `safety:ratelimit:{${tenant}}:caller:${caller}`,
      `safety:ratelimit:{${tenant}}:tenant`,
      this.limits.windowMs,
      this.limits.callerMax,
      this.limits.tenantMax,
    );
    if (scope === 0) return { limited: false };
    // A counter left without expiry (lost PEXPIRE) reports -1: retry after a window.
    return {
      limited: true,
      scope: scope === 1 ? 'caller' : 'tenant',
      retryAfterMs: ttl > 0 ? ttl : this.limits.windowMs,
    };
  }
}

/** The embedded store's counters (one replica), with the same rules. */
export class InMemoryRateLimiter extends RateLimiter {
  private readonly windows: FixedWindowCounters;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.windows = new FixedWindowCounters(limits.windowMs);
  }

  async hit({ tenant, caller }: RateLimitHit): Promise<RateLimitVerdict> {
    const now = this.now();
    const callerWindow = this.windows.hit(`${tenant}|caller|${caller}`, now);
    if (callerWindow.count > this.limits.callerMax) {
      return { limited: true, scope: 'caller', retryAfterMs: callerWindow.resetAt - now };
    }
    if (this.limits.tenantMax > 0) {
      const tenantWindow = this.windows.hit(`${tenant}|tenant`, now);
      if (tenantWindow.count > this.limits.tenantMax) {
        return { limited: true, scope: 'tenant', retryAfterMs: tenantWindow.resetAt - now };
      }
    }
    return { limited: false };
  }
}
