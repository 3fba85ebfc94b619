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
 * Both counters in one script call, so the production shape pays at most one Redis round trip per
 * request (the throttler library counted each limit in a round trip of its own: see BENCHMARKS.md). The
 * two keys share the tenant's hash tag, so the script runs on one Cluster slot. It takes up to ARGV[4]
 * requests' worth of both allowances at once (a lease, see RedisRateLimiter) and returns how many it
 * got from both (0: limited, by the scope in the second element) and the milliseconds the lease may live.
 * A counter is raised by what was asked even when less was granted: past the limit it only refuses.
 */
const TAKE = `
local function take(key, max, want)
  local n = redis.call('INCRBY', key, want)
  if n == want then redis.call('PEXPIRE', key, ARGV[1]) end
  return math.max(0, math.min(want, max - (n - want)))
end
local want = tonumber(ARGV[4])
local got = take(KEYS[1], tonumber(ARGV[2]), want)
if got == 0 then return {0, 1, redis.call('PTTL', KEYS[1])} end
local ttl = redis.call('PTTL', KEYS[1])
if tonumber(ARGV[3]) > 0 then
  got = take(KEYS[2], tonumber(ARGV[3]), got)
  if got == 0 then return {0, 2, redis.call('PTTL', KEYS[2])} end
  ttl = math.min(ttl, redis.call('PTTL', KEYS[2]))
end
return {got, 0, ttl}
`;

/** Requests a lease covers: 1 % of the smaller allowance, from 1 (every request counted in Redis) to 64. */
export function leaseSize(limits: RateLimits): number {
  const smaller = limits.tenantMax > 0 ? Math.min(limits.callerMax, limits.tenantMax) : limits.callerMax;
  return Math.max(1, Math.min(64, Math.floor(smaller / 100)));
}

/** At most this many callers' leases are kept; beyond, all are dropped (their unused requests are lost, never added). */
const MAX_LEASES = 10_000;

/**
 * Counts in Redis, shared by every replica, a lease at a time: a request that finds no lease of its
 * caller takes `leaseSize` requests' worth of both allowances in one script call, and the next ones are
 * served from it in this process until it is used up or its window ends. A lease is taken from the
 * counters before any of it is used, so the replicas together never admit more than a limit; what a
 * replica leased and did not use is lost with the window, so a caller spread over R replicas may be
 * refused up to R × (leaseSize − 1) requests early. With the default 1,200 a minute a lease is 12
 * requests, so 11 in 12 requests of a busy caller cost no round trip; limits under 200 are counted
 * request by request. Concurrent requests of a caller wait for one take instead of each taking a lease,
 * and a refusal is remembered until its window ends (the counter stays over the limit until then), so
 * a caller past its limit costs Redis nothing more.
 *
 * While Redis cannot answer, requests are counted by `fallback` (this process's own counters) and
 * `onDegraded` is told: a call that needs no Redis (`/check`, `/redact`) keeps working under a
 * per-replica limit, and the budget calls still fail closed on their own.
 */
export class RedisRateLimiter extends RateLimiter {
  /** Per caller: requests leased and not used yet, or a refusal that stands until its window ends. */
  private readonly leases = new Map<string, Lease>();
  /** Per caller: the take in flight. Concurrent requests wait for it rather than each taking a lease. */
  private readonly taking = new Map<string, Promise<RateLimitVerdict>>();
  private readonly size: number;

  constructor(
    private readonly redis: StoreRedis,
    private readonly limits: RateLimits,
    private readonly fallback: RateLimiter,
    private readonly onDegraded: () => void,
    private readonly now: () => number = Date.now,
  ) {
    super();
    this.size = leaseSize(limits);
    redis.defineCommand('safetyRateLimitTake', { lua: TAKE, numberOfKeys: 2 });
  }

  async hit(hit: RateLimitHit): Promise<RateLimitVerdict> {
    const id = `${hit.tenant}|${hit.caller}`;
    for (;;) {
      const local = this.fromLease(id);
      if (local) return local;
      const pending = this.taking.get(id);
      if (!pending) break;
      await pending;
    }
    const take = this.take(id, hit);
    this.taking.set(id, take);
    try {
      return await take;
    } finally {
      this.taking.delete(id);
    }
  }

  /** The verdict this process can give alone: a leased request, or the refusal of a spent window. */
  private fromLease(id: string): RateLimitVerdict | undefined {
    const lease = this.leases.get(id);
    if (!lease) return undefined;
    const now = this.now();
    if (lease.until <= now) {
      this.leases.delete(id);
      return undefined;
    }
    if (lease.refused) return { limited: true, scope: lease.refused, retryAfterMs: lease.until - now };
    if (lease.left === 0) return undefined;
    lease.left--;
    return { limited: false };
  }

  private async take(id: string, hit: RateLimitHit): Promise<RateLimitVerdict> {
    let reply: [number, number, number];
    try {
      reply = await this.takeInRedis(hit);
    } catch {
      this.onDegraded();
      return this.fallback.hit(hit);
    }
    const [got, scope, ttl] = reply;
    // A counter left without expiry (lost PEXPIRE) reports -1: retry after a window, and lease nothing.
    const until = this.now() + (ttl > 0 ? ttl : this.limits.windowMs);
    if (got > 0) {
      if (got > 1 && ttl > 0) this.keep(id, { left: got - 1, until });
      return { limited: false };
    }
    const refused = scope === 1 ? 'caller' : 'tenant';
    // The counter stays over its limit until it expires: later requests are refused here, with no round trip.
    if (ttl > 0) this.keep(id, { left: 0, until, refused });
    return { limited: true, scope: refused, retryAfterMs: until - this.now() };
  }

  private takeInRedis({ tenant, caller }: RateLimitHit): Promise<[number, number, number]> {
    const run = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<[number, number, number]>>)
      .safetyRateLimitTake;
    return run.call(
      this.redis,
      `safety:ratelimit:{${tenant}}:caller:${caller}`,
      `safety:ratelimit:{${tenant}}:tenant`,
      this.limits.windowMs,
      this.limits.callerMax,
      this.limits.tenantMax,
      this.size,
    );
  }

  private keep(id: string, lease: Lease): void {
    if (this.leases.size >= MAX_LEASES) this.leases.clear();
    this.leases.set(id, lease);
  }
}

interface Lease {
  left: number;
  /** When the window the lease was taken from ends (this process's clock). */
  until: number;
  refused?: 'caller' | 'tenant';
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
