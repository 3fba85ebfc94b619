export { BudgetModule } from './budget.module';
export { BUDGET_MODULE_OPTIONS, BUDGET_OPTIONS_TYPE, BUDGET_ASYNC_OPTIONS_TYPE } from './budget.module-definition';
export type { BudgetModuleOptions } from './budget.options';
export { BudgetService } from './budget.service';
export { BudgetError, BUDGET_ERROR_CODES } from './budget.errors';
export type { BudgetErrorCode } from './budget.errors';
export * from './budget.types';
export { BudgetLedger } from './ports/budget-ledger.port';
export type * from './ports/budget-ledger.port';
export { BudgetAlertChannel } from './ports/budget-alert-channel.port';
export { BudgetAlertDispatcher } from './alerts/budget-alert.dispatcher';
export { alertPayload } from './alerts/budget-alert.payload';
export { RedisBudgetLedger } from './adapters/redis-budget.ledger';
export { InMemoryBudgetLedger } from './adapters/in-memory-budget.ledger';
export { parseUsdToMicros, isUsdAmount, microsToUsd, formatMicros, MICROS_PER_USD, USD_DECIMALS } from './money';
export type { UsdInput } from './money';
export {
  RUN_ID_PATTERN,
  RUN_ID_RULE,
  IDEMPOTENCY_KEY_PATTERN,
  MAX_ALERT_THRESHOLDS,
  scopedRunId,
} from './budget.validation';
export { SCOPED_RUN_ID_PATTERN, parseScopedRunId, unscopedRunId } from './scoped-run-id';
export { DEFAULT_ALERT_THRESHOLDS } from './budget.settings';
export { decodeReservationId as reservationRunId } from './reservation-id';
export { reservationNotFound } from './ledger-rules';
