import { tenantRunId } from '../auth/tenant-run';
import type { StoreRedis } from '../redis/redis.tokens';
import { AuditLog, type RunActivity, type RunPage, type RunStream } from './audit-log.port';
import type { AuditEvent, NewAuditEvent } from './audit.types';

/**
 * One Redis Stream per run, `safety:audit:{<tenant>/<run_id>}` (`{<run_id>}` for the default
 * tenant, as before tenants existed): the hash tag keeps it in the run's slot on Redis Cluster, MAXLEN bounds it, and the key expires after
 * a quiet period like the run's budget.
 */
export class RedisAuditLog extends AuditLog {
  /** When this process last indexed each run (bounded: forgetting only costs one more ZADD). */
  private readonly lastIndexed = new Map<string, number>();

  constructor(
    private readonly redis: StoreRedis,
    private readonly maxEventsPerRun: number,
    private readonly ttlSeconds: number,
  ) {
    super();
  }

  async append(event: NewAuditEvent, runId = event.run_id): Promise<void> {
    const key = streamKey(event.tenant, runId);
    // Plain commands rather than MULTI, so auto-pipelining batches them with
    // other requests' commands. Should EXPIRE alone fail, the next event sets it.
    await Promise.all([
      this.redis.xadd(key, 'MAXLEN', '~', String(this.maxEventsPerRun), '*', 'event', JSON.stringify(event)),
      this.redis.expire(key, this.ttlSeconds),
      this.touchRun(event.tenant, runId),
    ]);
  }

  streamOf(tenant: string, runId: string): RunStream {
    return { key: streamKey(tenant, runId), maxLen: this.maxEventsPerRun, ttlMs: this.ttlSeconds * 1000 };
  }

  /**
   * The tenant's run index (the console's run list) lives in the tenant's slot, so no run's script can
   * write it. A run's activity is indexed at most once a second per process: the list orders runs by
   * last activity to the second, and a busy run does not pay a second round trip on every event.
   */
  async touchRun(tenant: string, runId: string): Promise<void> {
    const now = Date.now();
    const id = tenantRunId(tenant, runId);
    if (now - (this.lastIndexed.get(id) ?? 0) < INDEX_INTERVAL_MS) return;
    if (this.lastIndexed.size >= INDEX_MEMORY) this.lastIndexed.clear();
    this.lastIndexed.set(id, now);
    await this.redis.zadd(runIndexKey(tenant), now, runId);
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

const INDEX_INTERVAL_MS = 1000;
const INDEX_MEMORY = 10_000;

function runIndexKey(tenant: string): string {
  return `safety:runs:{${tenant}}`;
}

function streamKey(tenant: string, runId: string): string {
  return `safety:audit:{${tenantRunId(tenant, runId)}}`;
}
