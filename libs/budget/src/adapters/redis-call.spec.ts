import { ReplyError } from 'ioredis';
import { BudgetError } from '../budget.errors';
import { callRedis } from './redis-call';

/** The error handling around each budget script call (the Redis Cluster e2e meets these replies for real). */
describe('callRedis', () => {
  const noScript = () => new ReplyError('NOSCRIPT No matching script. Please use EVAL.');

  it('calls once more after NOSCRIPT (the script did not run) and returns that answer', async () => {
    const run = jest.fn().mockRejectedValueOnce(noScript()).mockResolvedValueOnce(['OK']);
    await expect(callRedis(run, 1000)).resolves.toEqual(['OK']);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('answers DEPENDENCY_UNAVAILABLE when NOSCRIPT comes back again, never a bare error', async () => {
    const run = jest.fn().mockRejectedValue(noScript());
    const failure = callRedis(run, 1000);
    await expect(failure).rejects.toBeInstanceOf(BudgetError);
    await expect(failure).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(run).toHaveBeenCalledTimes(2);
  });

  it.each(['CLUSTERDOWN The cluster is down', 'TRYAGAIN Multiple keys request during rehashing', 'LOADING'])(
    'maps %s to DEPENDENCY_UNAVAILABLE without calling again',
    async (message) => {
      const run = jest.fn().mockRejectedValue(new ReplyError(message));
      await expect(callRedis(run, 1000)).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
      expect(run).toHaveBeenCalledTimes(1);
    },
  );

  it('lets a reply that is a bug in the command through as it is', async () => {
    const bug = new ReplyError('ERR wrong number of arguments for script');
    await expect(callRedis(() => Promise.reject(bug), 1000)).rejects.toBe(bug);
  });

  it('gives up at the deadline', async () => {
    await expect(callRedis(() => new Promise(() => undefined), 20)).rejects.toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
    });
  });
});
