import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../bootstrap';
import { loadEnvironment } from '../config/load-environment';
import { buildOpenApiDocument } from './openapi.setup';

/** `npm run openapi`: writes the committed contract, apps/safety-api/openapi.json. */
async function writeOpenApi(): Promise<void> {
  const app = await createApp(loadEnvironment({ SWAGGER_ENABLED: 'false' }));
  const document = await buildOpenApiDocument(app);
  await app.close();
  const target = join(__dirname, '..', '..', 'openapi.json');
  writeFileSync(target, JSON.stringify(document, null, 2) + '\n');
  process.stdout.write(`wrote ${target}\n`);
}

void writeOpenApi();
