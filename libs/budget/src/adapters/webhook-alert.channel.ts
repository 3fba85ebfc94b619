import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import { alertPayload } from '../alerts/budget-alert.payload';
import type { BudgetAlert } from '../budget.types';
import { BudgetAlertChannel } from '../ports/budget-alert-channel.port';

export interface WebhookSettings {
  url: string;
  /** Attempts in total, including the first (default 5). */
  maxAttempts?: number;
  /** First backoff; doubles each retry, with full jitter (default 250 ms). */
  baseDelayMs?: number;
  /** Per-attempt deadline (default 3000 ms). */
  timeoutMs?: number;
  /** `whsec_<base64>`: when set, each POST is signed per Standard Webhooks (webhook-id = the alert id). */
  secret?: string;
}

/**
 * POSTs each alert as JSON with an `Idempotency-Key` equal to the alert id,
 * so a receiver can drop the duplicates that retries may produce. Retries on
 * network errors, timeouts, 408, 429 and 5xx with exponential backoff; other
 * 4xx are final. Logs never include the URL (it often embeds a token) or the
 * response body.
 */
export class WebhookAlertChannel extends BudgetAlertChannel {
  readonly name = 'webhook';
  private readonly logger = new Logger('BudgetAlertWebhook');
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly timeoutMs: number;

  private readonly signer: Webhook | undefined;

  constructor(private readonly settings: WebhookSettings) {
    super();
    this.signer = settings.secret ? new Webhook(settings.secret) : undefined;
    this.maxAttempts = settings.maxAttempts ?? 5;
    this.baseDelayMs = settings.baseDelayMs ?? 250;
    this.timeoutMs = settings.timeoutMs ?? 3000;
  }

  async deliver(alert: BudgetAlert): Promise<void> {
    const body = JSON.stringify(alertPayload(alert));
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      const outcome = await this.post(body, alert.alertId);
      if (outcome === 'delivered') return;
      if (outcome === 'rejected' || attempt === this.maxAttempts) {
        this.logger.error({
          msg: 'Budget alert webhook delivery failed',
          alert_id: alert.alertId,
          attempts: attempt,
          outcome,
        });
        return;
      }
      const backoff = this.baseDelayMs * 2 ** (attempt - 1);
      await sleep(Math.round(backoff / 2 + Math.random() * (backoff / 2)));
    }
  }

  private signature(alertId: string, body: string): Record<string, string> {
    if (!this.signer) return {};
    const now = new Date();
    return {
      'webhook-id': alertId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': this.signer.sign(alertId, now, body),
    };
  }

  private async post(body: string, alertId: string): Promise<'delivered' | 'retry' | 'rejected'> {
    try {
      const response = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': alertId,
          'user-agent': 'safety-api-budget-alerts',
          ...this.signature(alertId, body),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.body?.cancel();
      if (response.ok) return 'delivered';
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      this.logger.warn({ msg: 'Budget alert webhook answered an error', alert_id: alertId, status: response.status });
      return retryable ? 'retry' : 'rejected';
    } catch (error) {
      const reason = error instanceof Error ? error.name : 'error';
      this.logger.warn({ msg: 'Budget alert webhook unreachable', alert_id: alertId, reason });
      return 'retry';
    }
  }
}
