import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  type LoggerService,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RequestValidationError } from '../common/problem/request-validation.error';
import { sendProblem } from '../common/problem/send-problem';
import type { AccessRouteConfig } from './access.decorator';
import type { ApiKeyDirectory } from './api-key-directory';
import type { AuthFailureThrottle } from './auth-failure.throttle';
import { presentedApiKey } from './presented-api-key';
import { OPEN_PRINCIPAL, type Principal, roleAtLeast, TENANT_PATTERN } from './principal';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook once the key, the role and the tenant are accepted. */
    principal?: Principal;
  }
}

const TENANT_HEADER = 'x-safety-tenant';

/**
 * Authentication and authorisation as a Fastify onRequest hook: it runs before the body is read or
 * parsed, so an unauthenticated caller cannot make the service read 2 MiB, parse it, or write
 * anything (the audit trail included). Routes without an `access` config are Fastify's own (404,
 * API docs) and pass; every Nest route states one (RequireRole), and AccessGuard refuses any that
 * does not.
 */
export function registerAuthentication(
  fastify: FastifyInstance,
  directory: ApiKeyDirectory,
  failures: AuthFailureThrottle,
  logger: LoggerService,
): void {
  fastify.addHook('onRequest', async (request, reply) => {
    const access = (request.routeOptions.config as AccessRouteConfig | undefined)?.access;
    if (access === undefined || access === 'public') return;
    try {
      const principal = await principalOf(request, directory, failures);
      if (!roleAtLeast(principal.role, access)) {
        throw new ForbiddenException({
          code: 'FORBIDDEN_ROLE',
          message: `This route needs the ${access} role (or higher); principal "${principal.keyId}" is ${principal.role}.`,
        });
      }
      request.principal = principal;
    } catch (error) {
      sendProblem(error, request, reply, logger);
      return reply;
    }
  });
}

async function principalOf(
  request: FastifyRequest,
  directory: ApiKeyDirectory,
  failures: AuthFailureThrottle,
): Promise<Principal> {
  const home = directory.enabled ? await keyPrincipal(request, directory, failures) : OPEN_PRINCIPAL;
  const asked = request.headers[TENANT_HEADER];
  if (asked === undefined || asked === home.homeTenant) return home;
  if (typeof asked !== 'string' || !TENANT_PATTERN.test(asked)) {
    throw new RequestValidationError(
      [{ pointer: `/headers/${TENANT_HEADER}`, detail: 'X-Safety-Tenant must match [a-z0-9-]{1,63}' }],
      'header',
    );
  }
  if (home.role !== 'admin') {
    throw new ForbiddenException({
      code: 'FORBIDDEN_ROLE',
      message: `Only an admin may act in another tenant with X-Safety-Tenant; principal "${home.keyId}" is ${home.role}.`,
    });
  }
  return { ...home, tenant: asked };
}

async function keyPrincipal(
  request: FastifyRequest,
  directory: ApiKeyDirectory,
  failures: AuthFailureThrottle,
): Promise<Principal> {
  const presented = presentedApiKey(request.headers);
  const entry = presented ? directory.authenticate(presented) : undefined;
  if (entry) return { keyId: entry.id, role: entry.role, homeTenant: entry.tenant, tenant: entry.tenant };
  const verdict = await failures.recordFailure(request.ip);
  if (verdict.blocked) {
    throw new HttpException(
      {
        message: 'Too many failed authentications from this address; retry after the seconds in Retry-After.',
        headers: { 'retry-after': String(verdict.retryAfterSeconds) },
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
  throw new UnauthorizedException(
    presented ? 'The API key is not valid.' : 'Send an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`.',
  );
}
