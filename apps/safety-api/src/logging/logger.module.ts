import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Environment } from '../config/environment';
import { createLogRedaction } from '../redaction/log-redaction';

export interface LoggingOptions {
  /** Where log lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * Structured JSON logs through pino: one line per request with request id,
 * route, status and latency. Bodies and headers are never logged (they carry
 * the very secrets this service exists to protect); whatever is logged is
 * redacted line by line (see createLogRedaction).
 */
@Module({})
export class AppLoggerModule {
  static forEnvironment(env: Environment, options: LoggingOptions = {}): DynamicModule {
    return {
      module: AppLoggerModule,
      imports: [
        LoggerModule.forRoot({
          // Nest 11 (path-to-regexp 8) route syntax for "every route".
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: [
            {
              level: env.LOG_LEVEL,
              // Fastify already validated or minted the id (requestIdFor); reuse it.
              genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id?: string }).id ?? 'unknown',
              customProps: (request: IncomingMessage) => ({
                request_id: (request as IncomingMessage & { id?: string }).id,
              }),
              serializers: {
                req: (request: { method: string; url: string }) => ({ method: request.method, route: request.url?.split('?')[0] }),
                res: (response: { statusCode: number }) => ({ status: response.statusCode }),
              },
              customSuccessMessage: (request: IncomingMessage, response: ServerResponse, responseTime: number) =>
                `${request.method} ${request.url?.split('?')[0]} ${response.statusCode} ${Math.round(responseTime)}ms`,
              customErrorMessage: (request: IncomingMessage, response: ServerResponse) =>
                `${request.method} ${request.url?.split('?')[0]} ${response.statusCode}`,
              autoLogging: { ignore: (request: IncomingMessage) => request.url?.startsWith('/health') ?? false },
              base: { service: 'safety-api' },
              // Every line, request logs and library logs alike, passes through the Redactor last.
              ...createLogRedaction().options,
            },
            options.destination ?? process.stdout,
          ],
        }),
      ],
    };
  }
}
