import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * The OpenAPI document is a product: other teams generate clients from it.
 * `redocly lint` (rules in /redocly.yaml: recommended-strict plus operationId,
 * summary and declared tags) must report no errors, and the checks below hold
 * what no stock rule covers: examples, problem responses and named enums.
 * Runs offline: telemetry and the update check are off.
 */
const ROOT = join(__dirname, '..', '..', '..');
const DOCUMENT = 'apps/safety-api/openapi.json';
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer: string }[];
}

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  op: Json;
}

const document = JSON.parse(readFileSync(join(ROOT, DOCUMENT), 'utf8')) as Json;
const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Record<string, Json>;

function operations(): Operation[] {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method, path, op: item[method] as Json })),
  );
}

function resolve(schema: Json | undefined): Json | undefined {
  if (!schema) return undefined;
  if (typeof schema.$ref === 'string') return schemas[schema.$ref.replace('#/components/schemas/', '')];
  return schema;
}

/** An example at the media level, or anywhere in its schema (JSDoc `@example` on a field, nested objects and arrays included). */
function hasExample(media: Json | undefined): boolean {
  if (!media) return false;
  return (
    media.example !== undefined || media.examples !== undefined || schemaHasExample(media.schema as Json | undefined, 0)
  );
}

function schemaHasExample(schema: Json | undefined, depth: number): boolean {
  const resolved = resolve(schema);
  if (!resolved || depth > 4) return false;
  if (resolved.example !== undefined || schema?.example !== undefined) return true;
  const children = [
    resolved.items as Json | undefined,
    ...Object.values((resolved.properties ?? {}) as Record<string, Json>),
    ...((resolved.allOf ?? []) as Json[]),
  ];
  return children.some((child) => schemaHasExample(child, depth + 1));
}

/** JSON pointers of every inline `enum` (an enum that is not its own named component schema). */
function inlineEnums(node: unknown, pointer: string, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    node.forEach((child, index) => inlineEnums(child, `${pointer}/${index}`, found));
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      // `examples` hold sample payloads, not schemas.
      if (key === 'examples' || key === 'example') continue;
      if (key === 'enum' && !/^#\/components\/schemas\/[^/]+$/.test(pointer)) found.push(pointer);
      inlineEnums(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, found);
    }
  }
  return found;
}

describe('OpenAPI document quality', () => {
  it('passes `redocly lint` with no errors', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [REDOCLY, 'lint', DOCUMENT, '--config', 'redocly.yaml', '--format=json'],
      {
        cwd: ROOT,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
        maxBuffer: 16 * 1024 * 1024,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as { problems: LintProblem[] };
    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(errors).toEqual([]);
  }, 60_000);

  it('points "Try it out" at the serving origin and describes keys as opaque, not JWTs', () => {
    expect(document.servers).toEqual([{ url: '/', description: 'This service' }]);
    const schemes = (document.components as Json).securitySchemes as Record<string, Json>;
    expect(Object.values(schemes).map((scheme) => scheme.bearerFormat)).not.toContain('JWT');
  });

  it('every operation has an operationId, a tag and a summary, and operationIds are unique', () => {
    const missing = operations()
      .filter(({ op }) => !op.operationId || !(op.tags as string[] | undefined)?.length || !op.summary)
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every /api operation documents a 2xx response, its problem responses (with an example per code) and examples', () => {
    const gaps: string[] = [];
    for (const { method, path, op } of operations().filter(({ path }) => path.startsWith('/api/'))) {
      const name = `${method.toUpperCase()} ${path}`;
      const responses = (op.responses ?? {}) as Record<string, Json>;
      const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
      if (success.length === 0) gaps.push(`${name}: no 2xx response`);
      for (const [status, response] of success) {
        const content = response.content as Record<string, Json> | undefined;
        if (status !== '204' && !hasExample(content?.['application/json']))
          gaps.push(`${name}: ${status} response has no example`);
      }
      const problems = Object.entries(responses).filter(([status]) => /^[45]\d\d$/.test(status));
      if (!problems.some(([status]) => status.startsWith('4'))) gaps.push(`${name}: no 4xx problem response`);
      for (const [status, response] of problems) {
        const media = (response.content as Record<string, Json> | undefined)?.['application/problem+json'];
        if (!media?.examples) gaps.push(`${name}: ${status} is not problem+json with examples`);
      }
      const body = ((op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.[
        'application/json'
      ];
      if (op.requestBody && !hasExample(body)) gaps.push(`${name}: request body has no example`);
    }
    expect(gaps).toEqual([]);
  });

  it('every enum is a named component schema', () => {
    expect(inlineEnums(document.paths, '#/paths').concat(inlineEnums(schemas, '#/components/schemas'))).toEqual([]);
  });
});
