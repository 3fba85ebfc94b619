import fc from 'fast-check';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { requireTestRedisUrl } from '../../../../test/support/redis';
import { BudgetError } from '../budget.errors';
import { toStatus } from '../budget.service';
import { microsToUsd } from '../money';
import type { LedgerJournal } from '../ports/budget-ledger.port';
import { RedisBudgetLedger } from './redis-budget.ledger';

const keyPrefix = `test:journal:${randomBytes(4).toString('hex')}`;
const SETTINGS = {
  budgetTtlMs: 60_000,
  idempotencyTtlMs: 60_000,
  eventsMaxLen: 100,
  keyPrefix,
  commandTimeoutMs: 5000,
};

/**
 * The journal a spend files in its own script call (LedgerJournal), on a real redis-server: the record's
 * money is built in Lua from integer micro-dollars, so it is checked against the library's own
 * conversion (`toStatus`) over generated budgets and amounts.
 */
describe('RedisBudgetLedger journal (real redis-server)', () => {
  let redis: Redis;
  let ledger: RedisBudgetLedger;
  let runs = 0;

  beforeAll(() => {
    redis = new Redis(requireTestRedisUrl());
    ledger = new RedisBudgetLedger(redis, SETTINGS);
  });
  afterAll(async () => {
    await redis.quit();
  });

  const journalFor = (runId: string, data: Record<string, unknown> = {}): LedgerJournal => ({
    key: `${keyPrefix}:trail:{${runId}}`,
    head: { type: 'budget.spend', run_id: runId },
    data,
    maxLen: 10,
    ttlMs: 30_000,
  });
  const filed = async (journal: LedgerJournal) => {
    const entries = await redis.xrange(journal.key, '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1]) as Record<string, unknown>);
  };

  it('files the budget after each spend with the exact amounts, thresholds and state the library computes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000_000_000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 400_000_000_000 }), { minLength: 1, maxLength: 4 }),
        async (limitMicros, ppm, amounts) => {
          const runId = `run-${runs++}`;
          const thresholdsPpm = [...ppm].sort((a, b) => a - b);
          await ledger.create({ runId, limitMicros, thresholdsPpm });
          for (const amountMicros of amounts) {
            const journal = journalFor(runId, { idempotency_key: `k${amountMicros}` });
            const outcome = await ledger.spend({ runId, amountMicros, allowOverage: true, journal });
            expect(journal.filed).toBe(true);
            const status = toStatus(outcome.budget);
            const record = (await filed(journal)).at(-1);
            expect(record).toEqual({
              type: 'budget.spend',
              run_id: runId,
              outcome: 'ok',
              data: {
                amount: microsToUsd(amountMicros),
                idempotency_key: `k${amountMicros}`,
                replayed: false,
                limit: status.limit,
                spent: status.spent,
                reserved: status.reserved,
                remaining: status.remaining,
                exceeded: status.exceeded,
                state: status.state,
                thresholds_crossed: status.thresholdsCrossed,
              },
            });
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('files a refusal with its code and no data, and a missing budget too', async () => {
    const runId = `run-refused-${runs++}`;
    await ledger.create({ runId, limitMicros: 10, thresholdsPpm: [] });
    const journal = journalFor(runId);
    await expect(ledger.spend({ runId, amountMicros: 11, allowOverage: false, journal })).resolves.toMatchObject({
      kind: 'exceeded',
    });
    const missing = journalFor(`${runId}-missing`);
    await expect(
      ledger.spend({ runId: `${runId}-missing`, amountMicros: 1, allowOverage: false, journal: missing }),
    ).rejects.toMatchObject({ code: 'BUDGET_NOT_FOUND' });
    expect(await filed(journal)).toEqual([
      { type: 'budget.spend', run_id: runId, outcome: 'BUDGET_EXCEEDED', data: {} },
    ]);
    expect(await filed(missing)).toEqual([
      { type: 'budget.spend', run_id: `${runId}-missing`, outcome: 'BUDGET_NOT_FOUND', data: {} },
    ]);
    expect(missing.filed).toBe(true);
    const ttl = await redis.pttl(journal.key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('refuses a journal outside the run slot before touching the store', async () => {
    const journal = { ...journalFor('other-run'), key: `${keyPrefix}:trail:{other-run}` };
    const error = await ledger
      .spend({ runId: 'this-run', amountMicros: 1, allowOverage: false, journal })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BudgetError);
    expect(journal.filed).toBeUndefined();
    expect(await redis.exists(journal.key)).toBe(0);
  });
});
