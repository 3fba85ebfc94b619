import { Logger } from '@nestjs/common';
import type { BudgetAlert } from '../budget.types';
import { BudgetAlertChannel } from '../ports/budget-alert-channel.port';

/** One structured log line per alert, always on, so an alert is visible even when no other channel is set up. */
export class LogAlertChannel extends BudgetAlertChannel {
  readonly name = 'log';
  private readonly logger = new Logger('BudgetAlert');

  async deliver(alert: BudgetAlert): Promise<void> {
    this.logger.warn({
      msg: alert.type === 'threshold_crossed' ? `Budget threshold ${alert.threshold} crossed` : 'Budget exceeded',
      event: `budget.${alert.type}`,
      alert_id: alert.alertId,
      run_id: alert.runId,
      threshold: alert.threshold,
      limit: alert.limit,
      spent: alert.spent,
      at: alert.at.toISOString(),
    });
  }
}
