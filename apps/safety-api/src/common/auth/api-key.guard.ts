import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiKeySet } from './api-keys';
import { presentedApiKey } from './presented-api-key';
import { IS_PUBLIC } from './public.decorator';

export const API_KEY_SET = Symbol('API_KEY_SET');

/** Global guard: `Authorization: Bearer <key>` or `X-API-Key: <key>`, unless the route is @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeySet,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.enabled) return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const presented = presentedApiKey(context.switchToHttp().getRequest<FastifyRequest>().headers);
    if (presented && this.keys.matches(presented)) return true;
    throw new UnauthorizedException(
      presented
        ? 'The API key is not valid.'
        : 'Send an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`.',
    );
  }
}
