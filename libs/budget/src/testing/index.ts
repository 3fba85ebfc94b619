export { InMemoryBudgetLedger } from '../adapters/in-memory-budget.ledger';
export { RecordingAlertChannel } from './recording-alert.channel';
export { buildBudgetService } from './build-budget-service';
export type { BudgetServiceOverrides } from './build-budget-service';
