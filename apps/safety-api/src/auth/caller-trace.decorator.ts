import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who made this call, for policy decision log lines: joins them to the request log and the audit trail. */
export interface CallerTrace {
  requestId: string;
  keyId?: string;
  tenant?: string;
}

export const CurrentCallerTrace = createParamDecorator((_data: unknown, context: ExecutionContext): CallerTrace => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return { requestId: String(request.id), keyId: request.principal?.keyId, tenant: request.principal?.tenant };
});
