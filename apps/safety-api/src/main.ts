import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { InvalidEnvironmentError } from './config/validate-environment';
import { loadEnvironment } from './config/load-environment';
import { LifecycleState } from './health/lifecycle.state';
import { limitHeapGrowth } from './runtime/heap-growth';

async function main(): Promise<void> {
  const env = loadEnvironment();
  limitHeapGrowth(env.HEAP_GROWING_PERCENT);
  const app = await createApp(env);
  const logger = new Logger('Bootstrap');
  if (!env.SAFETY_API_KEYS) {
    logger.warn('SAFETY_API_KEYS is empty: authentication is OFF. Never run like this outside local development.');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received: readiness is now 503, finishing in-flight requests`);
    app.get(LifecycleState).startDraining();
    const deadline = setTimeout(() => {
      logger.error(`Shutdown grace period of ${env.SHUTDOWN_GRACE_MS} ms elapsed; exiting with requests still open`);
      process.exit(1);
    }, env.SHUTDOWN_GRACE_MS);
    deadline.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: env.PORT, host: '0.0.0.0' });
  logger.log(`Safety API listening on http://localhost:${env.PORT} (docs at /api/docs)`);
}

main().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Safety API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
