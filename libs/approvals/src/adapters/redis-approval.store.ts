import type { Cluster, Redis } from 'ioredis';
import type { Approval, ApprovalDecision, ApprovalListFilter, RedeemError } from '../approvals.types';
import { ApprovalError } from '../approvals.errors';
import { ApprovalPage, ApprovalStore, DecideOutcome, RedeemOutcome } from '../ports/approval-store.port';
import { CANCEL, DECIDE, EXPIRE, REDEEM } from './redis-approval.scripts';

const CHANNEL = 'safety:approvals:changes';
const EXPIRY_INDEX = 'safety:approvals:expiry';
const approvalKey = (id: string) => `safety:approval:{${id}}`;
const approversKey = (id: string) => `safety:approval:{${id}}:approvers`;
const tenantIndex = (tenant: string) => `safety:approvals:index:{${tenant}}`;
const dedupKeyOf = (dedupKey: string) => `safety:approvals:dedup:{${dedupKey}}`;
const versionKey = (tenant: string) => `safety:approvals:version:{${tenant}}`;

/**
 * Approvals in Redis, Cluster-safe: an approval's hash and approvers set share the slot of its id;
 * the per-tenant index (newest first), the dedup pointers and the expiry index live in their own
 * slots and are written by separate commands, never from a script. Every change is published on
 * one channel so a long-poll on any replica wakes at once. Commands have a deadline: a Redis that
 * does not answer becomes DEPENDENCY_UNAVAILABLE (503).
 */
export class RedisApprovalStore extends ApprovalStore {
  private readonly subscriber: Redis | Cluster;
  private readonly listeners = new Set<(approvalId: string) => void>();

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly retentionMs: number,
    private readonly commandTimeoutMs = 2000,
  ) {
    super();
    // A connection of its own (a subscribed connection serves nothing else), subscribed from the start so
    // no change published after a waiter registers can be missed. It queues the SUBSCRIBE until connected
    // and resubscribes after a reconnect; while it is down, waiters fall back to their timeout.
    const options = { enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined };
    this.subscriber = isCluster(redis)
      ? redis.duplicate([], { enableOfflineQueue: true, redisOptions: options })
      : redis.duplicate(options);
    this.subscriber.on('message', (_channel: string, id: string) => this.listeners.forEach((listener) => listener(id)));
    this.subscriber.on('error', () => undefined);
    void this.subscriber.subscribe(CHANNEL).catch(() => undefined);
  }

  async create(approval: Approval, dedupKey: string): Promise<void> {
    const key = approvalKey(approval.approval_id);
    const createdMs = Date.parse(approval.created_at);
    await this.call(async () => {
      await this.redis
        .multi()
        .hset(key, {
          doc: JSON.stringify(approval),
          status: approval.status,
          decisions: '[]',
          approvals: '0',
          required: String(approval.required_approvals),
          expires_at: approval.expires_at,
          expires_ms: String(Date.parse(approval.expires_at)),
          tenant: approval.tenant,
          digest: approval.action_digest,
          run_id: approval.run_id ?? '',
        })
        .pexpire(key, this.retentionMs)
        .exec();
      await Promise.all([
        this.redis.zadd(tenantIndex(approval.tenant), createdMs, approval.approval_id),
        this.redis.zremrangebyscore(tenantIndex(approval.tenant), '-inf', createdMs - this.retentionMs),
        this.redis.set(dedupKeyOf(dedupKey), approval.approval_id, 'PX', this.retentionMs),
        this.redis.zadd(EXPIRY_INDEX, Date.parse(approval.expires_at), approval.approval_id),
      ]);
    });
    await this.publish(approval.approval_id);
  }

  async findByDedupKey(dedupKey: string): Promise<Approval | undefined> {
    const id = await this.call(() => this.redis.get(dedupKeyOf(dedupKey)));
    return id ? this.get(id) : undefined;
  }

  async get(approvalId: string): Promise<Approval | undefined> {
    const fields = await this.call(() => this.redis.hgetall(approvalKey(approvalId)));
    return fields.doc ? fromHash(fields) : undefined;
  }

  async list(filter: ApprovalListFilter, limit: number, cursor?: string): Promise<ApprovalPage> {
    const approvals: Approval[] = [];
    let offset = cursor === undefined ? 0 : Number(cursor);
    // Filters apply after the index read: read in batches until the page is full or the index ends.
    for (;;) {
      const ids = await this.call(() =>
        this.redis.zrevrange(tenantIndex(filter.tenant), offset, offset + Math.max(limit, 50) - 1),
      );
      for (const id of ids) {
        offset++;
        const approval = await this.get(id);
        if (approval && matches(approval, filter)) approvals.push(approval);
        if (approvals.length === limit) {
          const more = (await this.call(() => this.redis.zcard(tenantIndex(filter.tenant)))) > offset;
          return { approvals, nextCursor: more ? String(offset) : null };
        }
      }
      if (ids.length === 0) return { approvals, nextCursor: null };
    }
  }

  async decide(approvalId: string, decision: ApprovalDecision, grantTtlMs: number): Promise<DecideOutcome> {
    const atMs = Date.parse(decision.at);
    const [kind, status] = (await this.call(() =>
      this.redis.eval(
        DECIDE,
        2,
        approvalKey(approvalId),
        approversKey(approvalId),
        decision.by,
        decision.decision,
        JSON.stringify(decision),
        String(atMs),
        decision.at,
        new Date(atMs + grantTtlMs).toISOString(),
        String(grantTtlMs),
      ),
    )) as [string, string?];
    if (kind === 'not_found') return { kind };
    if (kind === 'already_decided') return { kind };
    if (kind === 'not_pending') return { kind, status: status as Approval['status'] };
    const approval = (await this.get(approvalId))!;
    if (approval.status === 'approved') {
      await this.call(() => this.redis.zadd(EXPIRY_INDEX, Date.parse(approval.expires_at), approvalId));
    }
    await this.publish(approvalId);
    return { kind: 'recorded', approval };
  }

  async setReceipt(approvalId: string, receipt: string): Promise<void> {
    await this.call(() => this.redis.hset(approvalKey(approvalId), 'receipt', receipt));
  }

  async cancel(approvalId: string, at: string): Promise<boolean> {
    const done = await this.call(() => this.redis.eval(CANCEL, 1, approvalKey(approvalId), String(Date.now()), at));
    if (done === 1) await this.publish(approvalId);
    return done === 1;
  }

  async redeem(
    approvalId: string,
    use: { tenant: string; digest: string; runId: string | null; at: string },
  ): Promise<RedeemOutcome> {
    const outcome = (await this.call(() =>
      this.redis.eval(
        REDEEM,
        1,
        approvalKey(approvalId),
        use.tenant,
        use.digest,
        use.runId ?? '',
        String(Date.now()),
        use.at,
      ),
    )) as string;
    if (outcome !== 'ok') return { kind: 'refused', error: outcome as RedeemError };
    await this.publish(approvalId);
    return { kind: 'redeemed', approval: (await this.get(approvalId))! };
  }

  async expire(approvalId: string, nowMs: number): Promise<boolean> {
    const done = await this.call(() => this.redis.eval(EXPIRE, 1, approvalKey(approvalId), String(nowMs)));
    const status = await this.call(() => this.redis.hget(approvalKey(approvalId), 'status'));
    if (status !== 'pending' && status !== 'approved') await this.call(() => this.redis.zrem(EXPIRY_INDEX, approvalId));
    if (done === 1) await this.publish(approvalId);
    return done === 1;
  }

  async dueForExpiry(nowMs: number, limit: number): Promise<string[]> {
    return this.call(() => this.redis.zrangebyscore(EXPIRY_INDEX, '-inf', nowMs, 'LIMIT', 0, limit));
  }

  onChange(listener: (approvalId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }

  async tenantVersion(tenant: string): Promise<number> {
    return Number((await this.call(() => this.redis.get(versionKey(tenant)))) ?? 0);
  }

  /** Bumps the tenant's version, then tells every replica. */
  private async publish(approvalId: string): Promise<void> {
    const tenant = await this.call(() => this.redis.hget(approvalKey(approvalId), 'tenant'));
    if (tenant) await this.call(() => this.redis.incr(versionKey(tenant)));
    // A lost notification only delays a waiter until its timeout; the change itself is stored.
    await this.redis.publish(CHANNEL, approvalId).catch(() => undefined);
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(unavailable()), this.commandTimeoutMs);
    });
    try {
      return await Promise.race([run(), deadline]);
    } catch (error) {
      if (error instanceof ApprovalError) throw error;
      throw unavailable();
    } finally {
      clearTimeout(timer);
    }
  }
}

function fromHash(fields: Record<string, string>): Approval {
  const doc = JSON.parse(fields.doc) as Approval;
  return {
    ...doc,
    status: fields.status as Approval['status'],
    decisions: JSON.parse(fields.decisions) as Approval['decisions'],
    expires_at: fields.expires_at,
    decided_at: fields.decided_at ?? null,
    consumed_at: fields.consumed_at ?? null,
    receipt: fields.receipt ?? null,
  };
}

function matches(approval: Approval, filter: ApprovalListFilter): boolean {
  return (
    (filter.status === undefined || approval.status === filter.status) &&
    (filter.runId === undefined || approval.run_id === filter.runId) &&
    (filter.requestedBy === undefined || approval.requested_by === filter.requestedBy)
  );
}

function unavailable(): ApprovalError {
  return new ApprovalError('DEPENDENCY_UNAVAILABLE', 'The approvals store (Redis) is unavailable; retry shortly.', {
    dependency: 'redis',
  });
}

function isCluster(redis: Redis | Cluster): redis is Cluster {
  return (redis as Cluster).isCluster === true;
}
