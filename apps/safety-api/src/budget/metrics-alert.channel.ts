import { BudgetAlert, BudgetAlertChannel } from '@app/budget';
import type { MetricsService } from '../metrics/metrics.service';

/** Counts alerts in Prometheus (safety_budget_alerts_total). */
export class MetricsAlertChannel extends BudgetAlertChannel {
  readonly name = 'metrics';

  constructor(private readonly metrics: MetricsService) {
    super();
  }

  async deliver(_alert: BudgetAlert): Promise<void> {
    this.metrics.budgetAlerts.inc();
  }
}
