/**
 * `npm run client:generate`: regenerates libs/client/src/generated/schema.ts
 * from the committed apps/safety-api/openapi.json with openapi-typescript,
 * then formats it with the repo's prettier config so `npm run format` leaves
 * it alone. The stale-check test calls the same function into a temp dir.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
export const OPENAPI_DOCUMENT = join(ROOT, 'apps/safety-api/openapi.json');
export const GENERATED_SCHEMA = join(ROOT, 'libs/client/src/generated/schema.ts');

export async function generateClientTypes(
  outputFile: string = GENERATED_SCHEMA,
  document: string = OPENAPI_DOCUMENT,
): Promise<void> {
  const cli = join(ROOT, 'node_modules/openapi-typescript/bin/cli.js');
  const prettier = join(ROOT, 'node_modules/prettier/bin/prettier.cjs');
  execFileSync(
    process.execPath,
    // --enum-values: runtime arrays of each named enum (ActionType, BudgetState, ...), so the client's
    // enum constants come from the contract too. --default-non-nullable false: a field with a default is still
    // optional in a request body (`encoding` of an upload). The generation config lints structure only.
    [
      cli,
      document,
      '--output',
      outputFile,
      '--enum-values',
      '--default-non-nullable',
      'false',
      '--redocly',
      join(ROOT, 'libs/client/redocly.generate.yaml'),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  // The CLI (not the API, whose lazy ESM imports jest's VM cannot run), with the repo's config even for a temp file.
  execFileSync(process.execPath, [prettier, '--config', join(ROOT, '.prettierrc'), '--write', outputFile], {
    cwd: ROOT,
    stdio: 'pipe',
  });
}

if (require.main === module) {
  generateClientTypes().then(
    () => process.stdout.write(`wrote ${GENERATED_SCHEMA}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
