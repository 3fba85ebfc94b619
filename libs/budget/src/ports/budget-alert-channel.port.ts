import type { BudgetAlert } from '../budget.types';

/**
 * Somewhere an alert is delivered (log, Redis stream, webhook). The decision
 * that an alert fires is made once, atomically, by the ledger; channels only
 * carry it. A channel that fails must not throw into the spend path: the
 * dispatcher isolates each one.
 */
export abstract class BudgetAlertChannel {
  abstract readonly name: string;
  abstract deliver(alert: BudgetAlert): Promise<void>;
}
