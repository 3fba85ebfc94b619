import type { LedgerSettings } from '../ports/budget-ledger.port';
import { describeBudgetContract } from '../testing/budget-service.contract';
import { InMemoryBudgetLedger } from './in-memory-budget.ledger';

describeBudgetContract('InMemoryBudgetLedger', () => {
  // "Workers" with the same settings share one ledger: shared in-process state is what this store offers.
  const ledgers = new Map<string, InMemoryBudgetLedger>();
  return {
    ledger: (settings: LedgerSettings) => {
      const key = JSON.stringify(settings);
      const ledger = ledgers.get(key) ?? new InMemoryBudgetLedger(settings);
      ledgers.set(key, ledger);
      return ledger;
    },
    close: async () => undefined,
  };
});
