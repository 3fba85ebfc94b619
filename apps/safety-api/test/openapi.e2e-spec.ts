import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { generateOpenApiMetadata } from '../../../scripts/generate-openapi-metadata';
import { buildOpenApiDocument } from '../src/openapi/openapi.setup';
import { createTestApp } from './support/create-test-app';

/**
 * The committed OpenAPI document is the contract other teams generate clients
 * from: it only changes on purpose (`npm run openapi`, then commit).
 */
const appDir = join(__dirname, '..');
const STALE = 'run `npm run openapi` and commit apps/safety-api/openapi.json and apps/safety-api/src/metadata.ts';

describe('OpenAPI contract', () => {
  it('the live document equals the committed openapi.json', async () => {
    const app = await createTestApp();
    const live = JSON.parse(JSON.stringify(await buildOpenApiDocument(app)));
    const served = (await request(app.getHttpServer()).get('/api/docs-json')).body;
    await app.close();
    const committed = JSON.parse(readFileSync(join(appDir, 'openapi.json'), 'utf8'));
    expect({ document: live, hint: STALE }).toEqual({ document: committed, hint: STALE });
    expect(served).toEqual(committed);
  });

  it('the committed Swagger plugin metadata matches the source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-metadata-'));
    const cwd = process.cwd();
    try {
      generateOpenApiMetadata(dir);
      const fresh = readFileSync(join(dir, 'metadata.ts'), 'utf8');
      const committed = readFileSync(join(appDir, 'src', 'metadata.ts'), 'utf8');
      const normalise = (text: string) => text.replace(/\s+/g, '');
      expect({ metadata: normalise(fresh), hint: STALE }).toEqual({ metadata: normalise(committed), hint: STALE });
    } finally {
      process.chdir(cwd);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
