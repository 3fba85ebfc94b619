import { FixedWindowCounters } from '../common/fixed-window/fixed-window-counters';
import type { StoreRedis } from '../redis/redis.tokens';

export interface AuthFailureVerdict {
  /** Too many failures from this address in the window: answer 429, do not even look at the key. */
  blocked: boolean;
  retryAfterSeconds: number;
}

/**
 * Counts failed authentications per client address (shared in Redis when Redis is the store), so a
 * client cannot guess keys at line rate. Only the failure path pays for it: a valid key is never
 * slowed by a counter. If the counter store fails, the request is still refused (401): a failure
 * is already a refusal.
 */
export class AuthFailureThrottle {
  /** Counters when Redis is not the store; bounded, because any address may fail. */
  private readonly local: FixedWindowCounters;

  constructor(
    private readonly redis: StoreRedis | null,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.local = new FixedWindowCounters(windowMs, 10_000);
  }

  async recordFailure(address: string): Promise<AuthFailureVerdict> {
    if (this.limit === 0) return { blocked: false, retryAfterSeconds: 0 };
    const { count, ttlMs } = this.redis ? await this.countInRedis(address) : this.countLocally(address);
    return { blocked: count > this.limit, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  private async countInRedis(address: string): Promise<{ count: number; ttlMs: number }> {
    const key = `safety:authfail:{${address}}`;
    try {
      const count = await this.redis!.incr(key);
      if (count === 1) await this.redis!.pexpire(key, this.windowMs);
      const ttlMs = await this.redis!.pttl(key);
      // A key left without expiry (PEXPIRE lost) would block the address forever; give it one.
      if (ttlMs < 0) await this.redis!.pexpire(key, this.windowMs);
      return { count, ttlMs: ttlMs < 0 ? this.windowMs : ttlMs };
    } catch {
      return { count: 0, ttlMs: 0 };
    }
  }

  private countLocally(address: string): { count: number; ttlMs: number } {
    const now = this.now();
    const window = this.local.hit(address, now);
    return { count: window.count, ttlMs: window.resetAt - now };
  }
}
