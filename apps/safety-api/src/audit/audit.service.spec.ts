import pino from 'pino';
import { MetricsService } from '../metrics/metrics.service';
import { AuditService } from './audit.service';
import type { NewAuditEvent } from './audit.types';
import { InMemoryAuditLog } from './in-memory-audit.log';
import { LogRedactor } from './log-redactor';

const EVENT: NewAuditEvent = {
  type: 'budget.spend',
  run_id: 'run-1',
  tenant: 'acme',
  key_id: 'k',
  at: new Date(0).toISOString(),
  request_id: 'sk-proj-' + 'a1B2c3D4'.repeat(6),
  outcome: 'ok',
  data: { idempotency_key: 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8' },
};

describe('AuditService', () => {
  const service = (level: string) => {
    const lines: string[] = [];
    const root = pino({ level }, { write: (line: string) => lines.push(line) });
    return {
      lines,
      audit: new AuditService(new InMemoryAuditLog(10, 60), new LogRedactor(), new MetricsService(), root),
    };
  };

  it('builds the log line of an event filed elsewhere only when info lines are written', async () => {
    const quiet = service('warn');
    const build = jest.fn(() => EVENT);
    await quiet.audit.recordFiled('acme', 'run-1', build);
    expect(build).not.toHaveBeenCalled();
    const chatty = service('info');
    await chatty.audit.recordFiled('acme', 'run-1', build);
    expect(build).toHaveBeenCalledTimes(1);
  });

  it('hands a journal the event redacted where a caller chose the text', () => {
    // The embedded log has no stream another writer could file in.
    const embedded = new InMemoryAuditLog(10, 60);
    expect(new AuditService(embedded, new LogRedactor(), new MetricsService()).journal(EVENT, {})).toBeUndefined();
    const redis = {
      streamOf: () => ({ key: 'k', maxLen: 1, ttlMs: 1 }),
    } as unknown as InMemoryAuditLog;
    const journal = new AuditService(redis, new LogRedactor(), new MetricsService()).journal(EVENT, EVENT.data);
    expect(journal?.head.request_id).toMatch(/^\[REDACTED:OPENAI/);
    expect(journal?.data.idempotency_key).toMatch(/^\[REDACTED:GITHUB/);
    expect(journal?.head.tenant).toBe('acme');
  });
});
