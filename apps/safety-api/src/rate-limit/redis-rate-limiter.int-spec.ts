import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { requireTestRedisUrl } from '../../../../test/support/redis';
import { InMemoryRateLimiter, type RateLimits, RedisRateLimiter, leaseSize } from './rate-limiter';

/**
 * The shared limiter on a real redis-server, as several replicas see it: leases never let the
 * replicas together admit more than a limit, and lose at most a lease per replica.
 */
describe('RedisRateLimiter (real redis-server)', () => {
  const clients: Redis[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });

  /** `count` replicas of one configuration, each with its own connection, and a count of their script calls. */
  const replicas = (limits: RateLimits, count: number) => {
    const calls = { count: 0 };
    const limiters = Array.from({ length: count }, () => {
      const client = new Redis(requireTestRedisUrl());
      clients.push(client);
      const limiter = new RedisRateLimiter(client, limits, new InMemoryRateLimiter(limits), () => {
        throw new Error('Redis is up: no fallback expected');
      });
      const take = (client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>).safetyRateLimitTake;
      (client as unknown as Record<string, unknown>).safetyRateLimitTake = function (this: Redis, ...args: unknown[]) {
        calls.count++;
        return take.apply(this, args);
      };
      return limiter;
    });
    return { limiters, calls };
  };

  it('admits exactly the limit across replicas, leased, with a round trip per lease', async () => {
    const limits = { callerMax: 1000, tenantMax: 0, windowMs: 60_000 };
    const { limiters, calls } = replicas(limits, 3);
    const tenant = `t-${randomUUID()}`;
    let admitted = 0;
    for (let i = 0; i < 1200; i++) {
      const verdict = await limiters[i % 3].hit({ tenant, caller: 'key:a' });
      if (!verdict.limited) admitted++;
      else expect(verdict).toMatchObject({ scope: 'caller', retryAfterMs: expect.any(Number) });
    }
    expect(leaseSize(limits)).toBe(10);
    expect(admitted).toBeLessThanOrEqual(1000);
    expect(admitted).toBeGreaterThanOrEqual(1000 - 3 * 9);
    // One script call per lease of 10, and one refused call per replica: a refusal stands until the window ends.
    expect(calls.count).toBeLessThanOrEqual(1000 / 10 + 2 * 3);
    const refused = await limiters[0].hit({ tenant, caller: 'key:a' });
    expect(refused).toMatchObject({ limited: true, scope: 'caller' });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(50_000);
  });

  it("never admits more than a tenant's limit, however its callers and replicas lease", async () => {
    const limits = { callerMax: 5000, tenantMax: 2000, windowMs: 60_000 };
    const { limiters } = replicas(limits, 2);
    const tenant = `t-${randomUUID()}`;
    let admitted = 0;
    const verdicts = await Promise.all(
      Array.from({ length: 2600 }, (_, i) =>
        limiters[i % 2].hit({ tenant, caller: `key:${i % 5}` }).then((verdict) => {
          if (!verdict.limited) admitted++;
          return verdict;
        }),
      ),
    );
    expect(admitted).toBeLessThanOrEqual(2000);
    expect(admitted).toBeGreaterThanOrEqual(2000 - 2 * 5 * (leaseSize(limits) - 1));
    expect(verdicts.find((verdict) => verdict.limited)).toMatchObject({ scope: 'tenant' });
  });

  it('counts request by request under 200 a window, and a lease ends with its window', async () => {
    expect(leaseSize({ callerMax: 199, tenantMax: 0, windowMs: 1 })).toBe(1);
    expect(leaseSize({ callerMax: 1_000_000, tenantMax: 300, windowMs: 1 })).toBe(3);
    const limits = { callerMax: 400, tenantMax: 0, windowMs: 300 };
    const { limiters, calls } = replicas(limits, 1);
    const tenant = `t-${randomUUID()}`;
    expect(await limiters[0].hit({ tenant, caller: 'key:a' })).toEqual({ limited: false });
    expect(calls.count).toBe(1);
    expect(await limiters[0].hit({ tenant, caller: 'key:a' })).toEqual({ limited: false });
    expect(calls.count).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await limiters[0].hit({ tenant, caller: 'key:a' })).toEqual({ limited: false });
    expect(calls.count).toBe(2);
  });
});
