import { Logger } from '@nestjs/common';
import { ApiKeyDirectory } from './auth/api-key-directory';
import { PolicyFiles } from './policy/policy-files';
import { KeysFileError } from './auth/keys-file';
import { createApp } from './bootstrap';
import { InvalidEnvironmentError } from './config/validate-environment';
import { loadEnvironment } from './config/load-environment';
import { LifecycleState } from './health/lifecycle.state';
import { startMetricsServer, portOf } from './metrics/metrics-server';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument } from './openapi/openapi.setup';
import { limitHeapGrowth } from './runtime/heap-growth';

async function main(): Promise<void> {
  const env = loadEnvironment();
  limitHeapGrowth(env.HEAP_GROWING_PERCENT);
  const app = await createApp(env);
  const logger = new Logger('Bootstrap');
  if (!app.get(ApiKeyDirectory).enabled) {
    logger.warn(
      'No SAFETY_API_KEYS_FILE or SAFETY_API_KEYS: authentication is OFF and every caller is an admin of tenant ' +
        '"default". Never run like this outside local development.',
    );
  }
  // Kubernetes-style reload: the keys and policy files are also polled for changes; SIGHUP re-reads them at once.
  process.on('SIGHUP', () => {
    app.get(ApiKeyDirectory).reload('SIGHUP');
    app.get(PolicyFiles).reload('SIGHUP');
  });

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

  if (env.METRICS_PORT !== undefined) {
    const document = env.SWAGGER_ENABLED ? await buildOpenApiDocument(app) : undefined;
    const server = await startMetricsServer(app.get(MetricsService), document, env.METRICS_PORT);
    logger.log(`Metrics and API document on http://localhost:${portOf(server)} (/metrics, /api/docs-json)`);
  }
  await app.listen({ port: env.PORT, host: '0.0.0.0' });
  logger.log(`Safety API listening on http://localhost:${env.PORT} (docs at /api/docs)`);
}

main().catch((error: unknown) => {
  if (error instanceof InvalidEnvironmentError || error instanceof KeysFileError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Safety API failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
