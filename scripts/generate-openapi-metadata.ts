/**
 * Runs the @nestjs/swagger CLI plugin in read-only mode and writes
 * apps/safety-api/src/metadata.ts: the DTO and controller documentation that
 * the plugin derives from types, class-validator decorators and JSDoc.
 * Committed, so ts-jest and ts-node (which do not run compiler plugins) serve
 * the same document as `nest build`.
 */
import { PluginMetadataGenerator } from '@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ReadonlyVisitor } = require('@nestjs/swagger/plugin') as typeof import('@nestjs/swagger/dist/plugin');
import { join } from 'node:path';

export const SWAGGER_PLUGIN_OPTIONS = {
  introspectComments: true,
  classValidatorShim: true,
  dtoFileNameSuffix: ['.dto.ts'],
  controllerFileNameSuffix: ['.controller.ts'],
};

export function generateOpenApiMetadata(outputDir: string): void {
  const root = join(__dirname, '..');
  // The generator resolves tsconfigPath against the working directory.
  process.chdir(root);
  new PluginMetadataGenerator().generate({
    visitors: [new ReadonlyVisitor({ ...SWAGGER_PLUGIN_OPTIONS, pathToSource: join(root, 'apps/safety-api/src') })],
    outputDir,
    watch: false,
    tsconfigPath: 'apps/safety-api/tsconfig.app.json',
    printDiagnostics: false,
  });
}

if (require.main === module) generateOpenApiMetadata(join(__dirname, '..', 'apps/safety-api/src'));
