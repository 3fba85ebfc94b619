import { FixedWindowCounters } from './fixed-window-counters';

describe('FixedWindowCounters', () => {
  it('counts hits per key within a window and starts a new window after it ends', () => {
    const counters = new FixedWindowCounters(1000);
    expect(counters.hit('a', 0)).toEqual({ count: 1, resetAt: 1000 });
    expect(counters.hit('a', 999)).toEqual({ count: 2, resetAt: 1000 });
    expect(counters.hit('b', 500)).toEqual({ count: 1, resetAt: 1500 });
    expect(counters.hit('a', 1000)).toEqual({ count: 1, resetAt: 2000 });
    expect(counters.hit('b', 1499)).toEqual({ count: 2, resetAt: 1500 });
  });

  it('drops expired windows as they come due, including a key whose window restarted later', () => {
    const counters = new FixedWindowCounters(1000);
    counters.hit('a', 0);
    counters.hit('b', 100);
    counters.hit('a', 1000); // 'a' restarts after 'b': 'b' is now the oldest
    expect(counters.size).toBe(2);
    counters.hit('c', 1100); // 'b' ended at 1100
    expect(counters.size).toBe(2);
    counters.hit('c', 2000); // 'a' ended at 2000
    expect(counters.size).toBe(1);
    expect(counters.hit('a', 2000)).toEqual({ count: 1, resetAt: 3000 });
  });

  it('forgets the oldest live window past maxKeys, and never holds more', () => {
    const counters = new FixedWindowCounters(60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) counters.hit(key, 0);
    expect(counters.size).toBe(3);
    expect(counters.hit('b', 1)).toEqual({ count: 2, resetAt: 60_000 });
    expect(counters.hit('a', 1)).toEqual({ count: 1, resetAt: 60_001 }); // 'a' was forgotten
    expect(counters.size).toBe(3);
  });
});
