import type { Cluster, Redis } from 'ioredis';
import type { ApprovalListener } from './ports/approval-listener.port';

/** What the app passes to ApprovalsModule.forRoot / forRootAsync. */
export interface ApprovalsModuleOptions {
  /** Redis (production) or null for the in-process store (one instance, not durable). */
  redis: Redis | Cluster | null;
  /** Pending lifetime, seconds. Default 3600. */
  ttlSeconds?: number;
  /** Approved-and-unused lifetime, seconds. Default 900. */
  grantTtlSeconds?: number;
  /** Records are kept this long after creation (list, get, audit), seconds. Default 7 days. */
  retentionSeconds?: number;
  /** Ed25519 PKCS#8 PEM for receipts; without it a fresh key is made (receipts die with the process). */
  signingKeyPem?: string;
  /** `iss` of receipts. Default `safety-api`. */
  issuer?: string;
  /** When set with `webhookSecret`, events are POSTed there signed per Standard Webhooks. */
  webhookUrl?: string;
  webhookSecret?: string;
  /** More listeners (audit, metrics). */
  listeners?: ApprovalListener[];
  /** How often lapsed approvals are expired (ms). Default 1000. */
  sweepIntervalMs?: number;
}
