import { Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { AuditLog, type RunPage } from './audit-log.port';
import type { AuditEvent, NewAuditEvent } from './audit.types';
import { LogRedactor } from './log-redactor';

/**
 * Writes the audit trail: every event is redacted, logged as a structured
 * line, then appended to the run's stream. The log line is written first and
 * always, so a stream outage loses no event from the log pipeline; the outage
 * itself is logged and counted, and does not fail the caller's request (the
 * budget calls that need Redis already fail closed on their own).
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Audit');

  constructor(
    private readonly log: AuditLog,
    private readonly redactor: LogRedactor,
    private readonly metrics: MetricsService,
  ) {}

  async record(event: NewAuditEvent): Promise<void> {
    const safe = this.redactor.redactValue(event) as NewAuditEvent;
    this.logger.log({ msg: `audit ${safe.type} ${safe.outcome}`, audit: safe });
    try {
      await this.log.append(safe);
    } catch (error) {
      this.metrics.redisErrors.inc();
      this.logger.error({ msg: 'audit stream append failed', run_id: safe.run_id, error: (error as Error).message });
    }
  }

  /** The tenant's runs with a trail, most recently active first. */
  async listRuns(tenant: string, limit: number, cursor?: string): Promise<RunPage> {
    try {
      return await this.log.listRuns(tenant, limit, cursor);
    } catch (error) {
      this.metrics.redisErrors.inc();
      this.logger.error({ msg: 'audit run index read failed', tenant, error: (error as Error).message });
      throw new ServiceUnavailableException('The audit store is unavailable; retry shortly.');
    }
  }

  /** A store that cannot answer is a 503 DEPENDENCY_UNAVAILABLE, like every other Redis-backed call (not a 500). */
  async list(tenant: string, runId: string, limit: number): Promise<AuditEvent[]> {
    try {
      return await this.log.list(tenant, runId, limit);
    } catch (error) {
      this.metrics.redisErrors.inc();
      this.logger.error({ msg: 'audit stream read failed', tenant, run_id: runId, error: (error as Error).message });
      throw new ServiceUnavailableException('The audit store is unavailable; retry shortly.');
    }
  }
}
