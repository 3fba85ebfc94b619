import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentBodyProblems } from './body-problems';
import { documentPathProblems } from './path-problems';
import { normalizeDocument } from './normalize-document';
import { problemSchemas } from './problem.schemas';

export const API_KEY_SCHEME = 'api-key';
export const BEARER_SCHEME = 'bearer';

/**
 * DTO metadata comes from the Swagger CLI plugin run in read-only mode
 * (`npm run openapi` writes src/metadata.ts), so `nest build`, ts-jest and
 * ts-node all see the same documented contract.
 */
export async function buildOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  const metadata = await loadPluginMetadata();
  if (metadata) await SwaggerModule.loadPluginMetadata(metadata);
  const config = new DocumentBuilder()
    .setTitle('Safety API')
    .setDescription(
      'Policy decisions, money budgets, secret redaction and sandboxed execution for AI agents. ' +
        'Every non-2xx response is RFC 9457 application/problem+json.',
    )
    .setVersion('1')
    // Relative: "Try it out" and generated clients use the origin the document was served from.
    .addServer('/', 'This service')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        // Keys are opaque random strings (not JWTs); Nest would otherwise say JWT.
        bearerFormat: 'API key',
        description: 'An API key of the keys file (SAFETY_API_KEYS_FILE) or SAFETY_API_KEYS',
      },
      BEARER_SCHEME,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-API-Key',
        description: 'An API key of the keys file (SAFETY_API_KEYS_FILE) or SAFETY_API_KEYS',
      },
      API_KEY_SCHEME,
    )
    .addSecurityRequirements(BEARER_SCHEME)
    .addSecurityRequirements(API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
  });
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...problemSchemas() } };
  return normalizeDocument(documentPathProblems(documentBodyProblems(document)));
}

export async function setupOpenApi(app: INestApplication): Promise<void> {
  const document = await buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    jsonDocumentUrl: 'api/docs-json',
    yamlDocumentUrl: 'api/docs-yaml',
  });
}

async function loadPluginMetadata(): Promise<(() => Promise<Record<string, unknown>>) | undefined> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../metadata') as { default: () => Promise<Record<string, unknown>> }).default;
  } catch {
    return undefined;
  }
}
