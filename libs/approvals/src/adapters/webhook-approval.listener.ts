import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import type { ApprovalEvent, ApprovalEventType } from '../approvals.types';
import { ApprovalListener } from '../ports/approval-listener.port';

export interface ApprovalWebhookSettings {
  url: string;
  /** `whsec_<base64>`: the Standard Webhooks signing secret. */
  secret: string;
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
}

/** The events a receiver is told of; individual votes and uses stay in the audit trail. */
const DELIVERED: ReadonlySet<ApprovalEventType> = new Set([
  'approval.requested',
  'approval.approved',
  'approval.rejected',
  'approval.expired',
  'approval.cancelled',
]);

/**
 * POSTs approval events signed per the Standard Webhooks spec (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`, with the `standardwebhooks` package), so receivers verify them with any
 * Standard Webhooks library. The `webhook-id` stays the same across retries, for deduplication.
 * Retries network errors, timeouts, 408, 429 and 5xx with exponential backoff and jitter; other 4xx
 * are final. The URL and response bodies are never logged.
 */
export class WebhookApprovalListener extends ApprovalListener {
  private readonly logger = new Logger('ApprovalWebhook');
  private readonly signer: Webhook;

  constructor(private readonly settings: ApprovalWebhookSettings) {
    super();
    this.signer = new Webhook(settings.secret);
  }

  async onEvent(event: ApprovalEvent): Promise<void> {
    if (!DELIVERED.has(event.type)) return;
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify({ type: event.type, timestamp: event.at, data: event.approval });
    const maxAttempts = this.settings.maxAttempts ?? 5;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const outcome = await this.post(id, body);
      if (outcome === 'delivered') return;
      if (outcome === 'rejected' || attempt === maxAttempts) {
        this.logger.error({
          msg: 'Approval webhook delivery failed',
          webhook_id: id,
          type: event.type,
          attempts: attempt,
        });
        return;
      }
      const backoff = (this.settings.baseDelayMs ?? 250) * 2 ** (attempt - 1);
      await sleep(Math.round(backoff / 2 + Math.random() * (backoff / 2)));
    }
  }

  private async post(id: string, body: string): Promise<'delivered' | 'retry' | 'rejected'> {
    const now = new Date();
    try {
      const response = await fetch(this.settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'safety-api-approvals',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': this.signer.sign(id, now, body),
        },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 3000),
      });
      await response.body?.cancel();
      if (response.ok) return 'delivered';
      return response.status === 408 || response.status === 429 || response.status >= 500 ? 'retry' : 'rejected';
    } catch {
      return 'retry';
    }
  }
}
