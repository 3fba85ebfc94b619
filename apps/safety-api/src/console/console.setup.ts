import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The operator console's page may run its own files and talk to this origin only: no inline
 * script or style, no third-party origin, no framing, no referrer (nothing of the page leaks).
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** apps/console, found upwards from this file (it sits at a different depth in src and in dist). */
export function consoleRoot(from = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'console');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
  }
  throw new Error('The operator console (apps/console) is missing; set CONSOLE_ENABLED=false to run without it.');
}

/** Serves the console's static files at /console/ (no build step, no CDN: it works offline). */
export async function setupConsole(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyStatic, {
    root: consoleRoot(),
    prefix: '/console/',
    decorateReply: false,
    redirect: true,
    index: ['index.html'],
    setHeaders: (reply: FastifyReply) => {
      void reply.headers({
        'content-security-policy': CONSOLE_CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      });
    },
  });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/console', (_request, reply) => reply.redirect('/console/'));
}
