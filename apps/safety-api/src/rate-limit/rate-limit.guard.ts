import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  ServiceUnavailableException,
} from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyRequest } from 'fastify';
import type { AccessRouteConfig } from '../auth/access.decorator';
import { OPEN_PRINCIPAL } from '../auth/principal';
import { RateLimiter } from './rate-limiter';

/**
 * Rate limits per principal (per client address when authentication is off) and per tenant, on
 * every route but the public ones (probes, metrics, JWKS). It runs after the authentication hook,
 * so only authenticated calls count; failed authentications have their own throttle. A limiter that
 * fails outright (not merely degraded to this replica's counters) refuses with 503: never uncounted.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limiter: RateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, context.getHandler()) as
      AccessRouteConfig | undefined;
    if (config?.access === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = request.principal ?? OPEN_PRINCIPAL;
    const caller = principal.keyId === OPEN_PRINCIPAL.keyId ? `ip:${request.ip}` : `key:${principal.keyId}`;
    let verdict;
    try {
      verdict = await this.limiter.hit({ tenant: principal.tenant, caller });
    } catch {
      throw new ServiceUnavailableException('The rate-limit store is unavailable; retry shortly.');
    }
    if (!verdict.limited) return true;
    const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    throw new HttpException(
      {
        message: `Too many requests for this ${verdict.scope === 'tenant' ? 'tenant' : 'API key'}; retry after ${seconds} s (Retry-After).`,
        headers: { 'retry-after': String(seconds) },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
