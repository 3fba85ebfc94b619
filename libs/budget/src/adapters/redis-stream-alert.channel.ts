import type { Cluster, Redis } from 'ioredis';
import { alertPayload } from '../alerts/budget-alert.payload';
import type { BudgetAlert } from '../budget.types';
import { BudgetAlertChannel } from '../ports/budget-alert-channel.port';
import { alertStreamKey } from './redis-budget.keys';
import { callRedis } from './redis-call';

/**
 * Appends alerts to the cross-run stream (`safety:budget:events`) for
 * consumers that watch every run. The stream key has no run hash tag, so on
 * Cluster it cannot be written from a run's script; it is written here, after
 * the script decided the alert. The run's own stream (same slot, written
 * atomically by the script) stays the record of truth: this fan-out is at
 * most once per alert and can miss one if the process dies in between.
 */
export class RedisStreamAlertChannel extends BudgetAlertChannel {
  readonly name = 'redis-stream';

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly settings: { keyPrefix: string; maxLen: number; commandTimeoutMs: number },
  ) {
    super();
  }

  async deliver(alert: BudgetAlert): Promise<void> {
    const fields = Object.entries(alertPayload(alert)).flatMap(([key, value]) => [key, String(value)]);
    await callRedis(
      () =>
        this.redis.xadd(alertStreamKey(this.settings.keyPrefix), 'MAXLEN', '~', this.settings.maxLen, '*', ...fields),
      this.settings.commandTimeoutMs,
    );
  }
}
