import { InMemoryRateLimiter } from './rate-limiter';

describe('InMemoryRateLimiter', () => {
  let clock = 1_000_000;
  const limiter = () => new InMemoryRateLimiter({ callerMax: 3, tenantMax: 5, windowMs: 60_000 }, () => clock);

  it('limits a caller, then its tenant (all callers together), and says when to retry', async () => {
    const limits = limiter();
    for (let i = 0; i < 3; i++) expect(await limits.hit({ tenant: 'acme', caller: 'a' })).toEqual({ limited: false });
    clock += 10_000;
    expect(await limits.hit({ tenant: 'acme', caller: 'a' })).toEqual({
      limited: true,
      scope: 'caller',
      retryAfterMs: 50_000,
    });
    expect(await limits.hit({ tenant: 'acme', caller: 'b' })).toEqual({ limited: false });
    expect(await limits.hit({ tenant: 'acme', caller: 'b' })).toEqual({ limited: false });
    expect(await limits.hit({ tenant: 'acme', caller: 'c' })).toMatchObject({ limited: true, scope: 'tenant' });
    // Another tenant has its own allowance.
    expect(await limits.hit({ tenant: 'globex', caller: 'a' })).toEqual({ limited: false });
  });

  it('starts a new window once the old one is over', async () => {
    const limits = limiter();
    for (let i = 0; i < 4; i++) await limits.hit({ tenant: 't', caller: 'a' });
    clock += 60_000;
    expect(await limits.hit({ tenant: 't', caller: 'a' })).toEqual({ limited: false });
  });

  it('counts no tenant when the tenant limit is off', async () => {
    const limits = new InMemoryRateLimiter({ callerMax: 100, tenantMax: 0, windowMs: 1000 }, () => clock);
    for (let i = 0; i < 50; i++) expect((await limits.hit({ tenant: 't', caller: `c${i}` })).limited).toBe(false);
  });
});
