import type { BudgetAlert } from '../budget.types';

/** The wire form of an alert (webhook body, stream entry): snake_case, like the HTTP API. */
export function alertPayload(alert: BudgetAlert): Record<string, string | number> {
  return {
    alert_id: alert.alertId,
    type: `budget.${alert.type}`,
    run_id: alert.runId,
    ...(alert.threshold !== undefined ? { threshold: alert.threshold } : {}),
    limit: alert.limit,
    spent: alert.spent,
    at: alert.at.toISOString(),
  };
}
