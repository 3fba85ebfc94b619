// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'apps/safety-api/src/metadata.ts', 'libs/client/src/generated/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Libs own the domain: HTTP, Swagger, ConfigService and the environment belong to the app.
    files: ['libs/**/*.ts'],
    ignores: ['libs/client/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@nestjs/swagger', message: 'Libs do not document HTTP; the app does.' },
            { name: '@nestjs/config', message: 'Libs receive typed options through forRootAsync.' },
          ],
          patterns: [{ group: ['**/apps/**'], message: 'Libs never import the app.' }],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Libs never read process.env.' }],
      'no-restricted-syntax': [
        'error',
        { selector: "Identifier[name='HttpException']", message: 'Libs throw coded domain errors, not HttpException.' },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.int-spec.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
