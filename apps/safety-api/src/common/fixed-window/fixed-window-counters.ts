export interface FixedWindow {
  count: number;
  /** When the window ends (epoch ms); the key's next hit after it starts a new window. */
  resetAt: number;
}

/**
 * Fixed-window hit counters held by this process: a key's window starts at its first hit and lasts
 * `windowMs`. Windows are kept in the order they started, so expired ones are dropped from the front
 * as they come due: each hit costs amortised O(1), never a scan of every key. Past `maxKeys` live
 * windows (many keys at once) the oldest is forgotten rather than memory growing without bound.
 */
export class FixedWindowCounters {
  private readonly windows = new Map<string, FixedWindow>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = Number.POSITIVE_INFINITY,
  ) {}

  /** Counts one hit on `key` and returns its window, count included. */
  hit(key: string, now: number): FixedWindow {
    this.dropExpired(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      // Deleted first so the new window moves to the end of the start order.
      this.windows.delete(key);
      window = { count: 0, resetAt: now + this.windowMs };
      this.windows.set(key, window);
      if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
    }
    window.count++;
    return window;
  }

  get size(): number {
    return this.windows.size;
  }

  private dropExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (window.resetAt > now) return;
      this.windows.delete(key);
    }
  }
}
