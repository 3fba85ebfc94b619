import { ReplyError } from 'ioredis';
import { BudgetError } from '../budget.errors';

/** Redis replies that mean "the server cannot serve this now", as opposed to a bug in our command. */
const UNAVAILABLE_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|OOM|MISCONF|NOREPLICAS|MOVED|ASK)\b/;

/**
 * Runs one Redis command with a hard deadline. A Redis that is down, slow or
 * refusing writes becomes DEPENDENCY_UNAVAILABLE within `timeoutMs` whatever
 * the client's own queueing options are; the caller fails closed.
 *
 * A timed-out mutation may still have been applied by Redis: callers that
 * retry should send an idempotency key.
 */
export async function callRedis<T>(run: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(unavailable()), timeoutMs);
  });
  try {
    return await Promise.race([run(), deadline]);
  } catch (error) {
    if (error instanceof BudgetError) throw error;
    if (error instanceof ReplyError && !UNAVAILABLE_REPLY.test((error as Error).message)) throw error;
    throw unavailable();
  } finally {
    clearTimeout(timer);
  }
}

function unavailable(): BudgetError {
  return new BudgetError(
    'DEPENDENCY_UNAVAILABLE',
    'The budget store (Redis) is unavailable. Retry later; retry spends with the same idempotency key.',
    {
      dependency: 'redis',
    },
  );
}
