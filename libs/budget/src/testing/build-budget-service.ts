import { InMemoryBudgetLedger } from '../adapters/in-memory-budget.ledger';
import { BudgetAlertDispatcher } from '../alerts/budget-alert.dispatcher';
import type { BudgetModuleOptions } from '../budget.options';
import { BudgetService } from '../budget.service';
import { resolveBudgetSettings } from '../budget.settings';
import type { BudgetAlertChannel } from '../ports/budget-alert-channel.port';
import type { BudgetLedger } from '../ports/budget-ledger.port';

export type BudgetServiceOverrides = Partial<Omit<BudgetModuleOptions, 'redis' | 'ledger' | 'alertChannels'>>;

/**
 * A BudgetService without Nest, over `ledger` (default: a fresh in-memory
 * one), delivering alerts only to `channels`. Defaults match the product:
 * 10 USD default, 100 USD maximum, 7-day TTL.
 */
export function buildBudgetService(
  options: { ledger?: BudgetLedger; channels?: BudgetAlertChannel[] } & BudgetServiceOverrides = {},
): BudgetService {
  const { ledger, channels = [], ...overrides } = options;
  const settings = resolveBudgetSettings({
    redis: null,
    defaultLimitUsd: 10,
    maxLimitUsd: 100,
    ttlSeconds: 7 * 24 * 3600,
    ...overrides,
  });
  return new BudgetService(ledger ?? new InMemoryBudgetLedger(settings), new BudgetAlertDispatcher(channels), settings);
}
