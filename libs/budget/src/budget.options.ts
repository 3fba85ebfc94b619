import type { Cluster, Redis } from 'ioredis';
import type { WebhookSettings } from './adapters/webhook-alert.channel';
import type { BudgetAlertChannel } from './ports/budget-alert-channel.port';
import type { BudgetLedger } from './ports/budget-ledger.port';

/** What the app passes to BudgetModule.forRoot / forRootAsync. */
export interface BudgetModuleOptions {
  /** The ledger store: an ioredis client or Cluster (production), or null for the in-process ledger (one instance, not durable). */
  redis: Redis | Cluster | null;
  /** Limit (USD) of a budget created without one. */
  defaultLimitUsd: number;
  /** Largest limit (USD) a budget may have; also the largest single amount accepted. */
  maxLimitUsd: number;
  /** A budget disappears this long after its last change; never while it is in use. */
  ttlSeconds: number;
  /** When set, every alert is also POSTed here (with retries). */
  alertWebhookUrl?: string;
  /** Alert thresholds (fractions of the limit) for budgets created without their own. Default [0.5, 0.8, 1]. */
  defaultAlertThresholds?: number[];
  /** How long a spend's idempotency key is remembered. Default 86400 (24 h). */
  idempotencyTtlSeconds?: number;
  /** Hold lifetime of a reservation created without `ttlSeconds`. Default 300. */
  reservationTtlSeconds?: number;
  /** Longest hold a reservation may ask for. Default 86400. */
  maxReservationTtlSeconds?: number;
  /** Prefix of every Redis key. Default `safety:budget` (alerts stream: `<prefix>:events`). */
  keyPrefix?: string;
  /** A Redis call that has not answered by then fails with DEPENDENCY_UNAVAILABLE. Default 900 ms. */
  commandTimeoutMs?: number;
  /** Events kept per run (oldest trimmed first). Default 1000. */
  eventsMaxLen?: number;
  /** Approximate length cap of the cross-run alert stream. Default 100000. */
  alertStreamMaxLen?: number;
  /** Webhook retry tuning. */
  webhook?: Omit<WebhookSettings, 'url'>;
  /** Replaces the ledger chosen from `redis` (a custom store, or a test double). */
  ledger?: BudgetLedger;
  /** Extra alert channels, delivered to after the built-in ones. */
  alertChannels?: BudgetAlertChannel[];
}
