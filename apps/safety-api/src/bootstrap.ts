import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { configureApp, createFastifyAdapter } from './app.setup';
import type { Environment } from './config/environment';

/** Builds a fully configured, initialised (not listening) app. Used by main.ts, the OpenAPI writer and tests. */
export async function createApp(env: Environment, options: { logDestination?: DestinationStream } = {}) {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forEnvironment(env, { destination: options.logDestination }),
    createFastifyAdapter(env),
    { bufferLogs: true, abortOnError: false, bodyParser: false },
  );
  await configureApp(app, env);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
