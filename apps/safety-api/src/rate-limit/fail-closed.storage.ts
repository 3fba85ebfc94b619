import { ServiceUnavailableException } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

type Increment = ThrottlerStorage['increment'];

/**
 * When the shared counter store (Redis) cannot answer, the request is
 * refused with 503 rather than let through uncounted: fail closed.
 */
export class FailClosedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly inner: ThrottlerStorage) {}

  async increment(...args: Parameters<Increment>): ReturnType<Increment> {
    try {
      return await this.inner.increment(...args);
    } catch {
      throw new ServiceUnavailableException('The rate-limit store is unavailable; retry shortly.');
    }
  }
}
