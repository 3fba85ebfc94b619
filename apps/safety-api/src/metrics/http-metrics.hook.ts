import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service';

/**
 * Records every response's latency by route template (never the raw URL:
 * ids in paths would explode label cardinality). Unmatched routes share one label.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
