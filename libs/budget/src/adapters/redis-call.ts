import { ReplyError } from 'ioredis';
import { BudgetError } from '../budget.errors';

/** Redis replies that mean "the server cannot serve this now", as opposed to a bug in our command. */
const UNAVAILABLE_REPLY =
  /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|BUSY|OOM|MISCONF|NOREPLICAS|MOVED|ASK|NOSCRIPT)\b/;

/**
 * ioredis sends a defined script as EVAL the first time on a connection and as EVALSHA after, taking
 * the EVAL to have loaded it. An EVAL refused before it ran (CLUSTERDOWN or TRYAGAIN while a restarted
 * node rejoins its cluster, LOADING) loaded nothing, and ioredis's own retry of it then meets NOSCRIPT.
 * That reply makes ioredis forget the connection's script, so one more call sends EVAL. The script
 * did not run, so calling again cannot apply anything twice; a second NOSCRIPT is "unavailable".
 */
function isNoScript(error: unknown): boolean {
  return error instanceof ReplyError && (error as Error).message.startsWith('NOSCRIPT');
}

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
    const attempt = run().catch((error: unknown) => {
      if (isNoScript(error)) return run();
      throw error;
    });
    return await Promise.race([attempt, deadline]);
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
