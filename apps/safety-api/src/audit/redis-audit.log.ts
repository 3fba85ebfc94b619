import { tenantRunId } from '../auth/tenant-run';
import type { StoreRedis } from '../redis/redis.tokens';
import { AuditLog, type RunActivity, type RunPage } from './audit-log.port';
import type { AuditEvent, NewAuditEvent } from './audit.types';

/**
 * One Redis Stream per run, `safety:audit:{<tenant>/<run_id>}` (`{<run_id>}` for the default
 * tenant, as before tenants existed): the hash tag keeps it in the run's slot on Redis Cluster, MAXLEN bounds it, and the key expires after
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
    const key = streamKey(event.tenant, event.run_id);
    // Two plain commands rather than MULTI, so auto-pipelining batches them with
    // other requests' commands. Should EXPIRE alone fail, the next event sets it.
    await Promise.all([
      this.redis.xadd(key, 'MAXLEN', '~', String(this.maxEventsPerRun), '*', 'event', JSON.stringify(event)),
      this.redis.expire(key, this.ttlSeconds),
      // The tenant's run index (the console's run list), in its own slot; auto-pipelined with the two above.
      this.redis.zadd(runIndexKey(event.tenant), Date.now(), event.run_id),
    ]);
  }

  /** Newest first; entries older than the trail's TTL are dropped as the index is read (their trails are gone). */
  async listRuns(tenant: string, limit: number, cursor?: string): Promise<RunPage> {
    const key = runIndexKey(tenant);
    await this.redis.zremrangebyscore(key, '-inf', Date.now() - this.ttlSeconds * 1000);
    const offset = cursor === undefined ? 0 : Number(cursor);
    const [entries, total] = await Promise.all([
      this.redis.zrevrange(key, offset, offset + limit - 1, 'WITHSCORES'),
      this.redis.zcard(key),
    ]);
    const runs: RunActivity[] = [];
    for (let i = 0; i < entries.length; i += 2)
      runs.push({ runId: entries[i], lastActivityMs: Number(entries[i + 1]) });
    return { runs, nextCursor: offset + limit < total ? String(offset + limit) : null };
  }

  async list(tenant: string, runId: string, limit: number): Promise<AuditEvent[]> {
    const entries = await this.redis.xrevrange(streamKey(tenant, runId), '+', '-', 'COUNT', limit);
    // Events written before tenants existed carry neither tenant nor key_id.
    return entries
      .reverse()
      .map(
        ([id, fields]) =>
          ({ tenant, key_id: 'unknown', ...(JSON.parse(fields[1]) as Partial<NewAuditEvent>), id }) as AuditEvent,
      );
  }
}

function runIndexKey(tenant: string): string {
  return `safety:runs:{${tenant}}`;
}

function streamKey(tenant: string, runId: string): string {
  return `safety:audit:{${tenantRunId(tenant, runId)}}`;
}
