import { Redis } from 'ioredis';
import { requireTestRedisUrl } from '../../../../test/support/redis';
import { approvalStoreContract } from '../testing/approval-store.contract';
import { RedisApprovalStore } from './redis-approval.store';

const clients: Redis[] = [];
afterAll(() => clients.forEach((client) => client.disconnect()));

approvalStoreContract('RedisApprovalStore (real redis-server)', () => {
  const redis = new Redis(requireTestRedisUrl());
  clients.push(redis);
  return new RedisApprovalStore(redis, 86_400_000);
});
