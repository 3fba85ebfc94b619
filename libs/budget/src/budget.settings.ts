import type { BudgetModuleOptions } from './budget.options';
import { MICROS_PER_USD, parseUsdToMicros } from './money';

export const BUDGET_SETTINGS = Symbol('BUDGET_SETTINGS');

/** Options checked once at boot and turned into the units the service works in (micros, ms, ppm). */
export interface BudgetSettings {
  defaultLimitMicros: number;
  maxLimitMicros: number;
  defaultThresholdsPpm: number[];
  budgetTtlMs: number;
  idempotencyTtlMs: number;
  defaultHoldTtlSeconds: number;
  maxHoldTtlSeconds: number;
  keyPrefix: string;
  commandTimeoutMs: number;
  eventsMaxLen: number;
  alertStreamMaxLen: number;
}

export const DEFAULT_ALERT_THRESHOLDS = [0.5, 0.8, 1];

/** Throws a plain Error naming the bad option: misconfiguration should stop the boot, not reach a client. */
export function resolveBudgetSettings(options: BudgetModuleOptions): BudgetSettings {
  const money = (value: number, name: string) => {
    try {
      return parseUsdToMicros(value, name);
    } catch (error) {
      throw new Error(`BudgetModule: ${name} is invalid (${(error as Error).message})`);
    }
  };
  const defaultLimitMicros = money(options.defaultLimitUsd, 'defaultLimitUsd');
  const maxLimitMicros = money(options.maxLimitUsd, 'maxLimitUsd');
  if (defaultLimitMicros > maxLimitMicros) throw new Error('BudgetModule: defaultLimitUsd must not exceed maxLimitUsd');
  // Threshold micros are computed as limit × ppm in exact integers; keep limits where that stays trivially safe.
  if (maxLimitMicros > 1_000_000_000 * MICROS_PER_USD) throw new Error('BudgetModule: maxLimitUsd must be at most 1e9');
  return {
    defaultLimitMicros,
    maxLimitMicros,
    defaultThresholdsPpm: (options.defaultAlertThresholds ?? DEFAULT_ALERT_THRESHOLDS).map((fraction) => {
      const ppm = Math.round(fraction * 1_000_000);
      if (!(ppm > 0 && ppm <= 1_000_000) || ppm / 1_000_000 !== fraction) {
        throw new Error('BudgetModule: defaultAlertThresholds must be fractions in (0, 1] with at most 6 decimals');
      }
      return ppm;
    }),
    budgetTtlMs: positiveInt(options.ttlSeconds, 'ttlSeconds') * 1000,
    idempotencyTtlMs: positiveInt(options.idempotencyTtlSeconds ?? 86_400, 'idempotencyTtlSeconds') * 1000,
    defaultHoldTtlSeconds: positiveInt(options.reservationTtlSeconds ?? 300, 'reservationTtlSeconds'),
    maxHoldTtlSeconds: positiveInt(options.maxReservationTtlSeconds ?? 86_400, 'maxReservationTtlSeconds'),
    keyPrefix: options.keyPrefix ?? 'safety:budget',
    commandTimeoutMs: positiveInt(options.commandTimeoutMs ?? 900, 'commandTimeoutMs'),
    eventsMaxLen: positiveInt(options.eventsMaxLen ?? 1000, 'eventsMaxLen'),
    alertStreamMaxLen: positiveInt(options.alertStreamMaxLen ?? 100_000, 'alertStreamMaxLen'),
  };
}

function positiveInt(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`BudgetModule: ${name} must be a positive integer`);
  return value;
}
