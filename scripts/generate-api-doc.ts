/**
 * Writes docs/api.md from the committed OpenAPI document: every route with its role, request
 * fields, response fields and problem codes, so the reference cannot drift from the contract.
 * A test fails when the committed file differs.
 *
 *   npm run docs:api
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
export const API_DOC = join(ROOT, 'docs/api.md');

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function apiDoc(
  document: Json = JSON.parse(readFileSync(join(ROOT, 'apps/safety-api/openapi.json'), 'utf8')),
): string {
  const schemas = ((document.components as Json).schemas ?? {}) as Record<string, Json>;
  const resolve = (schema: Json | undefined): Json | undefined => {
    const ref = schema?.$ref as string | undefined;
    return ref ? schemas[ref.split('/').at(-1)!] : schema;
  };
  const typeOf = (schema: Json | undefined): string => {
    if (!schema) return 'any';
    if (schema.$ref) return (schema.$ref as string).split('/').at(-1)!.replace(/Dto$/, '');
    if (schema.enum) return (schema.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' \\| ');
    if (schema.type === 'array') return `${typeOf(schema.items as Json)}[]`;
    if (Array.isArray(schema.allOf)) return typeOf(schema.allOf[0] as Json);
    return String(schema.type ?? 'object') + (schema.nullable ? ' \\| null' : '');
  };
  const oneLine = (text: unknown) =>
    String(text ?? '')
      .replace(/\s+/g, ' ')
      .replace(/\|/g, '\\|')
      .trim();
  const fields = (schema: Json | undefined): string[] => {
    const resolved = resolve(schema);
    const properties = (resolved?.properties ?? {}) as Record<string, Json>;
    const required = new Set((resolved?.required ?? []) as string[]);
    return Object.entries(properties).map(
      ([name, property]) =>
        `| \`${name}\`${required.has(name) ? '' : ' (optional)'} | ${typeOf(property)} | ${oneLine(property.description)}${property.deprecated ? ' **Deprecated.**' : ''} |`,
    );
  };
  const table = (rows: string[]) => (rows.length ? ['| Field | Type | Meaning |', '| --- | --- | --- |', ...rows] : []);
  const out: string[] = [
    '# API reference',
    '',
    'Every route, generated from the committed OpenAPI document (`apps/safety-api/openapi.json`, served at',
    '`/api/docs-json`) by `npm run docs:api`; a test fails when they differ. JSON is snake_case on the wire',
    "(the TypeScript sandbox facade's `envVars`, `runId` are `env_vars`, `run_id` here). Every error is",
    '`application/problem+json` with a stable `code`; every route also answers 400 `VALIDATION_FAILED`,',
    '401 `UNAUTHORIZED`, 403 `FORBIDDEN_ROLE`, 429 `RATE_LIMITED`, 500 `INTERNAL` and 503',
    '`DEPENDENCY_UNAVAILABLE` unless it is public. Roles: [security.md](security.md).',
    '',
  ];
  const common = new Set([
    'VALIDATION_FAILED',
    'UNAUTHORIZED',
    'FORBIDDEN_ROLE',
    'RATE_LIMITED',
    'INTERNAL',
    'DEPENDENCY_UNAVAILABLE',
  ]);
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const method of METHODS) {
      const operation = item[method] as Json | undefined;
      if (!operation) continue;
      out.push(`## \`${method.toUpperCase()} ${path}\``, '');
      const summary = oneLine(operation.summary);
      const sentence = summary && !/[.!?]$/.test(summary) ? `${summary}.` : summary;
      out.push(`${sentence} Role: **${String(operation['x-required-role'] ?? 'public')}**.`, '');
      const parameters = ((operation.parameters ?? []) as Json[]).map(
        (p) =>
          `| \`${String(p.name)}\` (${String(p.in)}${p.required ? '' : ', optional'}) | ${typeOf(p.schema as Json)} | ${oneLine(p.description)} |`,
      );
      if (parameters.length)
        out.push('Parameters:', '', '| Name | Type | Meaning |', '| --- | --- | --- |', ...parameters, '');
      const body = ((operation.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as
        Json | undefined;
      const bodyRows = table(fields(body?.schema as Json));
      if (bodyRows.length) out.push('Request body:', '', ...bodyRows, '');
      const responses = (operation.responses ?? {}) as Record<string, Json>;
      for (const [status, response] of Object.entries(responses)) {
        if (!status.startsWith('2')) continue;
        const json = (response.content as Json | undefined)?.['application/json'] as Json | undefined;
        const rows = table(fields(json?.schema as Json));
        out.push(
          `${status}${rows.length ? ':' : `: ${oneLine(response.description) || 'no body'}`}`,
          '',
          ...(rows.length ? [...rows, ''] : []),
        );
      }
      const codes = Object.entries(responses)
        .filter(([status]) => !status.startsWith('2'))
        .flatMap(([status, response]) =>
          Object.keys(
            ((response.content as Json | undefined)?.['application/problem+json'] as Json | undefined)?.examples ?? {},
          ).map((code) => [status, code] as const),
        )
        .filter(([, code]) => !common.has(code));
      if (codes.length) out.push(`Problems: ${codes.map(([status, code]) => `${status} \`${code}\``).join(', ')}.`, '');
    }
  }
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

if (require.main === module) {
  writeFileSync(API_DOC, apiDoc());
  process.stdout.write(`wrote ${API_DOC}\n`);
}
