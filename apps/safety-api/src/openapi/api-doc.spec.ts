import { readFileSync } from 'node:fs';
import { API_DOC, apiDoc } from '../../../../scripts/generate-api-doc';

describe('docs/api.md', () => {
  it('is what `npm run docs:api` writes from openapi.json (run it after `npm run openapi`)', () => {
    expect(readFileSync(API_DOC, 'utf8')).toBe(apiDoc());
  });
});
