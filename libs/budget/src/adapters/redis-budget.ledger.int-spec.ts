import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { requireTestRedisUrl } from '../../../../test/support/redis';
import type { LedgerSettings } from '../ports/budget-ledger.port';
import { describeBudgetContract } from '../testing/budget-service.contract';
import { RedisBudgetLedger } from './redis-budget.ledger';

/** Other suites share this redis-server: a unique key prefix keeps ours apart, and nothing is flushed. */
const keyPrefix = `test:budget:${randomBytes(4).toString('hex')}`;

describeBudgetContract('RedisBudgetLedger (real redis-server)', () => {
  const clients: Redis[] = [];
  return {
    ledger: (settings: LedgerSettings) => {
      // One connection per "worker", configured like the app's (fail fast, no offline queue).
      const client = new Redis(requireTestRedisUrl(), { enableOfflineQueue: true, maxRetriesPerRequest: 1 });
      clients.push(client);
      return new RedisBudgetLedger(client, { ...settings, keyPrefix, commandTimeoutMs: 5000 });
    },
    close: async () => {
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
});
