import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { MetricsService } from './metrics.service';

/**
 * The operations port (METRICS_PORT): `/metrics` and the OpenAPI document (`/api/docs-json`), kept
 * off the public port so a deployment exposes only the API there. A plain node:http server: two
 * read-only GETs need no framework, and nothing on this port writes state.
 */
export async function startMetricsServer(
  metrics: MetricsService,
  document: OpenAPIObject | undefined,
  port: number,
  host = '0.0.0.0',
): Promise<Server> {
  const documentJson = document ? JSON.stringify(document) : undefined;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    } else if (path === '/api/docs-json' && documentJson) {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(documentJson);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
