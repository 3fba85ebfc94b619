import type { LedgerJournal } from '@app/budget';
import { Inject, Injectable, Logger, Optional, ServiceUnavailableException } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { ROOT_LOGGER } from '../logging/root-logger';
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
    @Optional() @Inject(ROOT_LOGGER) private readonly root?: PinoLogger,
  ) {}

  async record(event: NewAuditEvent): Promise<void> {
    const safe = this.logged(event);
    try {
      await this.log.append(safe, event.run_id);
    } catch (error) {
      this.appendFailed(safe, error);
    }
  }

  /**
   * An event another writer already filed in the run's stream (a journal): logged (built only when info
   * lines are written), and the run marked active.
   */
  async recordFiled(tenant: string, runId: string, event: () => NewAuditEvent): Promise<void> {
    if (this.root?.isLevelEnabled('info') !== false) this.logged(event());
    try {
      await this.log.touchRun(tenant, runId);
    } catch (error) {
      this.metrics.redisErrors.inc();
      this.logger.error({
        msg: 'audit run index update failed',
        run_id: this.redactor.redactIdentifier(runId),
        error: (error as Error).message,
      });
    }
  }

  /**
   * A journal for the budget ledger to file this event with the spend, in the same script call, when the
   * trail is in Redis (undefined otherwise: the event is then recorded after the call, as any other).
   */
  journal(head: Omit<NewAuditEvent, 'outcome' | 'data'>, data: Record<string, unknown>): LedgerJournal | undefined {
    const stream = this.log.streamOf(head.tenant, head.run_id);
    if (!stream) return undefined;
    return { ...stream, head: this.redactCallerFields(head), data: this.redactor.redactValue(data) };
  }

  private logged(event: NewAuditEvent): NewAuditEvent {
    const safe = { ...this.redactCallerFields(event), data: this.redactor.redactValue(event.data) };
    this.logger.log({ msg: `audit ${safe.type} ${safe.outcome}`, audit: safe });
    return safe;
  }

  /**
   * The members a caller chooses (the run id and a reused X-Request-Id; `data` is redacted apart) pass the
   * Redactor; type, tenant, key id, time and outcome come from the service and its keys file.
   */
  private redactCallerFields<T extends Pick<NewAuditEvent, 'run_id' | 'request_id'>>(event: T): T {
    return {
      ...event,
      run_id: this.redactor.redactIdentifier(event.run_id),
      request_id: this.redactor.redactIdentifier(event.request_id),
    };
  }

  private appendFailed(event: NewAuditEvent, error: unknown): void {
    this.metrics.redisErrors.inc();
    this.logger.error({ msg: 'audit stream append failed', run_id: event.run_id, error: (error as Error).message });
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
