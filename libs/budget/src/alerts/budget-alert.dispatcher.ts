import { Logger } from '@nestjs/common';
import type { BudgetAlert } from '../budget.types';
import { BudgetAlertChannel } from '../ports/budget-alert-channel.port';

/**
 * Hands each alert to every channel without making the spend wait: the
 * spend's answer must not depend on a webhook. Deliveries in flight are
 * tracked so shutdown (and tests) can wait for them.
 */
export class BudgetAlertDispatcher {
  private readonly logger = new Logger('BudgetAlerts');
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly channels: BudgetAlertChannel[]) {}

  dispatch(alerts: BudgetAlert[]): void {
    for (const alert of alerts) {
      for (const channel of this.channels) {
        const delivery = channel.deliver(alert).catch((error: unknown) => {
          this.logger.error({
            msg: 'Budget alert delivery failed',
            channel: channel.name,
            alert_id: alert.alertId,
            reason: error instanceof Error ? error.message : 'unknown',
          });
        });
        this.pending.add(delivery);
        void delivery.finally(() => this.pending.delete(delivery));
      }
    }
  }

  /** Resolves when every delivery started so far has finished (or after `timeoutMs`). */
  async drain(timeoutMs = 10_000): Promise<void> {
    const all = Promise.allSettled([...this.pending]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([all, timeout]);
    clearTimeout(timer);
  }
}
