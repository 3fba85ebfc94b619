import 'reflect-metadata';
import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RequestValidationError } from '../problem/request-validation.error';
import { BodyValidationPlan } from './body-validation-plan';
import { JsonBodyValidationPipe, VALIDATION_OPTIONS } from './json-body-validation.pipe';

type Constructor = new () => object;

/** Every DTO class of the app (any `*.dto.ts` under src), so a new DTO is covered without editing this test. */
function allDtoClasses(): Constructor[] {
  const root = join(__dirname, '..', '..');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.dto.ts'));
  const classes = new Set<Constructor>();
  for (const file of files) {
    // Loaded by path at run time: the point is to find DTO files nobody listed here.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    for (const exported of Object.values(require(join(root, file)) as Record<string, unknown>)) {
      if (typeof exported === 'function' && rulesOf(exported as Constructor).length > 0)
        classes.add(exported as Constructor);
    }
  }
  return [...classes];
}

function rulesOf(dto: Constructor) {
  return getMetadataStorage().getTargetValidationMetadatas(
    dto,
    undefined as unknown as string,
    false,
    false,
    undefined,
  );
}

const openApi = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'openapi.json'), 'utf8')) as {
  components: { schemas: Record<string, { properties?: Record<string, { example?: unknown; type?: string }> }> };
};

/**
 * Values a rule may accept: the property's documented example (or any boolean for a
 * boolean), enum and `@IsIn` members of the DTO, plus names, amounts and shapes our DTOs take.
 */
function valuesFor(dto: Constructor, property: string): fc.Arbitrary<unknown> {
  const documented = openApi.components.schemas[dto.name]?.properties?.[property];
  const typical =
    documented?.example !== undefined
      ? fc.constant(documented.example)
      : documented?.type === 'boolean'
        ? fc.boolean()
        : undefined;
  const members = rulesOf(dto)
    .filter((rule) => rule.type === ValidationTypes.CUSTOM_VALIDATION && ['isEnum', 'isIn'].includes(rule.name ?? ''))
    .flatMap((rule) =>
      Array.isArray(rule.constraints[0]) ? rule.constraints[0] : Object.values(rule.constraints[0] as object),
    );
  const samples: unknown[] = [
    ...members,
    'run-123',
    'bench-http',
    'tool-call-42',
    'DATABASE_URL',
    'A_B',
    'npm install',
    'ls -la',
    'print(1)',
    'python',
    'bash',
    '/tmp/a.txt',
    'prod',
    '',
    ' ',
    'bad name',
    'é',
    'x'.repeat(300),
    'k'.repeat(5000),
    0,
    1,
    2,
    7,
    0.05,
    0.000001,
    1e-7,
    1.5,
    -1,
    100,
    1000,
    1e9,
    30000,
    2 ** 53,
    true,
    false,
    null,
    [],
    ['A_B'],
    ['DATABASE_URL', 'x-y.z'],
    ['bad name'],
    [''],
    [1],
    Array(300).fill('A'),
    {},
    { command: 'ls' },
    { command: 1 },
    { environment: 'staging', service: 'api' },
    { path: 'a.txt' },
    [{ path: 'a' }],
    // Keys Nest's pipe strips at any depth before it validates (JSON.parse makes `__proto__` an own key).
    { command: 'ls', constructor: 'x' },
    { prototype: 1 },
    JSON.parse('{"__proto__": {"polluted": true}, "path": "a"}') as unknown,
    [{ path: 'a', constructor: { prototype: 2 } }],
  ];
  const anything = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...samples) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
  return typical ? fc.oneof({ weight: 2, arbitrary: typical }, { weight: 3, arbitrary: anything }) : anything;
}

/** A value as Fastify's query-string parser gives it: a string, or an array of strings for a repeated key. */
function asQueryValue(value: unknown): string | string[] {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A body as parseJsonBody hands it over: JSON.parse of some text, so `__proto__` can be an own key. */
function bodiesFor(dto: Constructor): fc.Arbitrary<string> {
  const properties = [...new Set(rulesOf(dto).map((rule) => rule.propertyName))];
  // A query DTO only ever sees what a query string yields (strings, or arrays of them): given a JSON
  // object, Nest's own pipe throws a TypeError in class-transformer's @Type(() => Number).
  const values = (key: string) =>
    dto.name.endsWith('QueryDto') ? valuesFor(dto, key).map(asQueryValue) : valuesFor(dto, key);
  const entry = (key: string) => fc.option(fc.tuple(fc.constant(key), values(key)), { freq: 7 });
  const extra = fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.tuple(
        fc.constantFrom('extra', 'constructor', 'prototype', '__proto__', 'toString'),
        values('extra'),
      ),
    },
  );
  return fc
    .tuple(fc.tuple(...properties.map(entry)), extra)
    .map(([own, more]) => [...own, more].filter((item): item is [string, unknown] => item !== null))
    .map(
      (entries) =>
        `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`,
    );
}

type Outcome = { ok: true; value: unknown; type: unknown } | { ok: false; errors: unknown };

async function outcome(pipe: ValidationPipe, json: string, metadata: ArgumentMetadata): Promise<Outcome> {
  try {
    const value = await pipe.transform(JSON.parse(json), metadata);
    return { ok: true, value, type: Object.getPrototypeOf(value) };
  } catch (error) {
    if (!(error instanceof RequestValidationError)) throw error;
    return { ok: false, errors: error.errors };
  }
}

describe('JsonBodyValidationPipe', () => {
  const fast = new JsonBodyValidationPipe();
  // The pipe the app used before: Nest's ValidationPipe with the same options.
  const nest = new ValidationPipe(VALIDATION_OPTIONS);
  const dtos = allDtoClasses();

  it('finds the DTOs, and the hot routes’ bodies have a fast road while nested DTOs do not', () => {
    const names = dtos.map((dto) => dto.name);
    expect(names).toEqual(expect.arrayContaining(['SafetyCheckDto', 'RedactRequestDto', 'SpendDto', 'SafeExecuteDto']));
    const compiled = (name: string) => BodyValidationPlan.compile(dtos.find((dto) => dto.name === name)!);
    expect(compiled('SafetyCheckDto')).toBeDefined();
    expect(compiled('RedactRequestDto')).toBeDefined();
    const nested = dtos.filter((dto) => rulesOf(dto).some((rule) => rule.type === ValidationTypes.NESTED_VALIDATION));
    expect(nested.length).toBeGreaterThan(0);
    for (const dto of nested) expect(BodyValidationPlan.compile(dto)).toBeUndefined();
  });

  it.each(dtos.map((dto) => [dto.name, dto] as const))(
    '%s: accepts and rejects exactly what Nest’s pipe does, with an equal instance or the same errors',
    async (_name, dto) => {
      const metadata: ArgumentMetadata = { type: 'body', metatype: dto, data: '' };
      const plan = BodyValidationPlan.compile(dto);
      const properties = new Set(rulesOf(dto).map((rule) => rule.propertyName));
      let valid = 0;
      await fc.assert(
        fc.asyncProperty(bodiesFor(dto), async (json) => {
          const expected = await outcome(nest, json, metadata);
          expect(await outcome(fast, json, metadata)).toStrictEqual(expected);
          if (expected.ok) {
            valid++;
            // A valid body really takes the fast road (else the speed-up is gone silently).
            const body = JSON.parse(json) as Record<string, unknown>;
            (fast as unknown as { stripProtoKeys(value: unknown): void }).stripProtoKeys(body);
            // (class-transformer drops keys named like Object.prototype methods, e.g. `toString`, so Nest's
            // pipe accepts them; the plan leaves such a body to Nest's pipe, which is why it is excluded here.)
            const ownKeysOnly = Object.keys(body).every((key) => properties.has(key));
            if (plan && ownKeysOnly) expect(plan.instanceIfValid(body)).toBeDefined();
          }
        }),
        { numRuns: 1000 },
      );
      if (plan) expect(valid).toBeGreaterThan(0);
    },
  );

  it('drops keys named like inherited methods (toString, valueOf) in free-form objects, as Nest’s pipe does', async () => {
    const dto = dtos.find((candidate) => candidate.name === 'SafetyCheckDto')!;
    const metadata: ArgumentMetadata = { type: 'body', metatype: dto, data: '' };
    for (const json of [
      '{"action":"execute_code","context":{"toString":false}}',
      '{"action":"execute_code","context":{"command":"ls","nested":{"valueOf":1,"kept":2}}}',
    ]) {
      expect(await outcome(fast, json, metadata)).toStrictEqual(await outcome(nest, json, metadata));
    }
  });

  it('leaves non-body arguments and non-object bodies to Nest’s pipe', async () => {
    const dto = dtos.find((candidate) => candidate.name === 'SafetyCheckDto')!;
    for (const value of [undefined, null, 'text', 42, [], [{ action: 'deploy' }]]) {
      const metadata: ArgumentMetadata = { type: 'body', metatype: dto, data: '' };
      const run = async (pipe: ValidationPipe) =>
        pipe.transform(value, metadata).then(
          (result) => ({ result }),
          (error: RequestValidationError) => ({ errors: error.errors }),
        );
      expect(await run(fast)).toStrictEqual(await run(nest));
    }
    expect(await fast.transform('7', { type: 'param', metatype: Number, data: 'id' })).toBe(7);
  });
});
