import type { FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';

/**
 * One line per request, written when the response is done: request id, the principal and tenant
 * (once authenticated), method, route (without the query string), status and latency. Bodies and headers are
 * never logged: they carry the very secrets this service exists to protect.
 * A Fastify hook rather than HTTP middleware (pino-http) because it costs a
 * fraction as much per request; health probes are not logged.
 */
export function registerRequestLogging(fastify: FastifyInstance, logger: PinoLogger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level) || request.url.startsWith('/health')) return done();
    const route = decodedPath(request.url.split('?', 1)[0]);
    const responseTime = Math.round(reply.elapsedTime * 1000) / 1000;
    const principal = request.principal;
    logger[level](
      {
        request_id: String(request.id),
        ...(principal ? { key_id: principal.keyId, tenant: principal.tenant } : {}),
        req: { method: request.method, route },
        res: { status },
        responseTime,
      },
      `${request.method} ${route} ${status} ${Math.round(responseTime)}ms`,
    );
    done();
  });
}

/**
 * The path as the handlers saw it (percent-decoded), so the log Redactor matches a secret sent
 * percent-encoded (`sk-proj-%61%31...`); a path that does not decode is logged as sent.
 */
function decodedPath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
