import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorageService } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { OPEN_PRINCIPAL } from '../auth/principal';
import type { Redis } from 'ioredis';
import type { StoreRedis } from '../redis/redis.tokens';
import type { Environment } from '../config/environment';
import { STORE_REDIS } from '../redis/redis.tokens';
import { FailClosedThrottlerStorage } from './fail-closed.storage';
import { SafetyThrottlerGuard } from './safety-throttler.guard';

/**
 * Rate limits per principal (per client IP when auth is off) and, with RATE_LIMIT_TENANT_MAX, per
 * tenant: all of a tenant's keys together, so one team cannot starve the others. Counts live in
 * Redis when Redis is the store, so every replica shares them. The authentication hook runs
 * before this guard, so only authenticated calls count against a principal or a tenant (failed
 * authentications have their own per-address throttle). With RATE_LIMIT_MAX=0 the guard is not
 * installed at all (no per-request cost).
 */
@Module({})
export class RateLimitModule {
  static forEnvironment(env: Pick<Environment, 'RATE_LIMIT_MAX'>): DynamicModule {
    if (env.RATE_LIMIT_MAX === 0) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [ConfigService, STORE_REDIS],
          useFactory: (config: ConfigService<Environment, true>, redis: StoreRedis | null) => {
            const ttl = config.get('RATE_LIMIT_WINDOW_MS');
            const tenantMax = config.get('RATE_LIMIT_TENANT_MAX');
            return {
              throttlers: [
                { name: 'default', limit: config.get('RATE_LIMIT_MAX'), ttl, getTracker: principalTracker },
                ...(tenantMax > 0 ? [{ name: 'tenant', limit: tenantMax, ttl, getTracker: tenantTracker }] : []),
              ],
              storage: new FailClosedThrottlerStorage(redis ? redisStorage(redis) : new ThrottlerStorageService()),
              // One counter per principal (or tenant) across all routes. The library's default key also names the
              // controller and handler, which would give every route its own allowance.
              generateKey: (_context, tracker, throttlerName) => `${throttlerName}:${tracker}`,
              errorMessage: 'Too many requests; retry after the number of seconds in Retry-After.',
            };
          },
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: SafetyThrottlerGuard }],
    };
  }
}

/** The storage accepts a Redis or a Cluster at runtime (instanceof check) but only types the former. */
function redisStorage(redis: StoreRedis): ThrottlerStorageRedisService {
  return new ThrottlerStorageRedisService(redis as Redis);
}

type TrackedRequest = Pick<FastifyRequest, 'principal' | 'ip'>;

/** The principal id (never the key, which would end up in Redis); the client IP when authentication is off. */
function principalTracker(request: Record<string, unknown>): string {
  const { principal, ip } = request as unknown as TrackedRequest;
  return principal && principal.keyId !== OPEN_PRINCIPAL.keyId ? `key:${principal.keyId}` : `ip:${ip}`;
}

/** The tenant the call acts in (an admin acting in another tenant spends that tenant's allowance). */
function tenantTracker(request: Record<string, unknown>): string {
  const { principal } = request as unknown as TrackedRequest;
  return `tenant:${principal?.tenant ?? OPEN_PRINCIPAL.tenant}`;
}
