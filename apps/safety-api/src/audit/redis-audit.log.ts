import type { StoreRedis } from '../redis/redis.tokens';
import { AuditLog } from './audit-log.port';
import type { AuditEvent, NewAuditEvent } from './audit.types';

/**
 * One Redis Stream per run, `safety:audit:{<run_id>}`: the hash tag keeps it in
 * the run's slot on Redis Cluster, MAXLEN bounds it, and the key expires after
 * a quiet period like the run's budget.
 */
export class RedisAuditLog extends AuditLog {
  constructor(
    private readonly redis: StoreRedis,
    private readonly maxEventsPerRun: number,
    private readonly ttlSeconds: number,
  ) {
    super();
  }

  async append(event: NewAuditEvent): Promise<void> {
    const key = streamKey(event.run_id);
    // Two plain commands rather than MULTI, so auto-pipelining batches them with
    // other requests' commands. Should EXPIRE alone fail, the next event sets it.
    await Promise.all([
      this.redis.xadd(key, 'MAXLEN', '~', String(this.maxEventsPerRun), '*', 'event', JSON.stringify(event)),
      this.redis.expire(key, this.ttlSeconds),
    ]);
  }

  async list(runId: string, limit: number): Promise<AuditEvent[]> {
    const entries = await this.redis.xrevrange(streamKey(runId), '+', '-', 'COUNT', limit);
    return entries.reverse().map(([id, fields]) => ({ ...(JSON.parse(fields[1]) as NewAuditEvent), id }));
  }
}

function streamKey(runId: string): string {
  return `safety:audit:{${runId}}`;
}
