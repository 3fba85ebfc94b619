import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED_SCHEMA, generateClientTypes } from './generate-types';

/** The client's wire types are generated from the committed openapi.json; committing a changed document without them fails here. */
describe('generated client types', () => {
  it('libs/client/src/generated/schema.ts matches a fresh generation from apps/safety-api/openapi.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'client-types-'));
    try {
      const fresh = join(dir, 'schema.ts');
      await generateClientTypes(fresh);
      const hint = 'stale: run `npm run client:generate` and commit libs/client/src/generated/schema.ts';
      expect({ schema: readFileSync(GENERATED_SCHEMA, 'utf8'), hint }).toEqual({
        schema: readFileSync(fresh, 'utf8'),
        hint,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
