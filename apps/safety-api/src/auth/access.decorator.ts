import { applyDecorators } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from './principal';

/** Who may call a route: a role (or any higher one), or anyone (`public`: probes, metrics). */
export type Access = Role | 'public';

/** Fastify route config carrying a route's access, read by the authentication hook before the body is read. */
export interface AccessRouteConfig {
  access?: Access;
}

/**
 * States a route's required role. It travels as Fastify route config, so the onRequest hook
 * (authenticate.hook.ts) enforces it before the body is read, and as the `x-required-role`
 * OpenAPI extension, so generated clients and readers see it. A route without one is refused
 * (AccessGuard): every route must state its role.
 */
export function RequireRole(access: Access): MethodDecorator {
  return applyDecorators(RouteConfig({ access } satisfies AccessRouteConfig), ApiExtension('x-required-role', access));
}

/** Reachable without an API key (health probes, metrics). */
export const Public = (): MethodDecorator => RequireRole('public');
