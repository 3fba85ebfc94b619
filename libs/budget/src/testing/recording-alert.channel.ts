import type { BudgetAlert } from '../budget.types';
import { BudgetAlertChannel } from '../ports/budget-alert-channel.port';

/** Keeps every alert it is given, for assertions. */
export class RecordingAlertChannel extends BudgetAlertChannel {
  readonly name = 'recording';
  readonly alerts: BudgetAlert[] = [];

  async deliver(alert: BudgetAlert): Promise<void> {
    this.alerts.push(alert);
  }

  forRun(runId: string): BudgetAlert[] {
    return this.alerts.filter((alert) => alert.runId === runId);
  }
}
