import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import type { FastifyRequest } from 'fastify';
import type { AccessRouteConfig } from './access.decorator';

/**
 * A safety net behind the authentication hook: a Nest route that states no role (RequireRole) is
 * refused for everyone rather than left open, and a non-public route never runs without the
 * principal the hook sets.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, context.getHandler()) as
      AccessRouteConfig | undefined;
    if (!config?.access) throw new ForbiddenException('This route states no required role, so nobody may call it.');
    if (config.access === 'public') return true;
    if (!context.switchToHttp().getRequest<FastifyRequest>().principal) throw new UnauthorizedException();
    return true;
  }
}
