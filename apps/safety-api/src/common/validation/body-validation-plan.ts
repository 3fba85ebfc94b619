import { TransformationType } from 'class-transformer';
import type { MetadataStorage as TransformerMetadataStorage } from 'class-transformer/types/MetadataStorage';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Constructor = new () => object;

// class-transformer exports no accessor for its decorator metadata; this is where it keeps it (the same
// path @nestjs/mapped-types reads). Should a release move it, this require fails at boot; should it keep the
// path but stop using it, the pipe spec (plan against Nest's pipe on every DTO) fails.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as {
  defaultMetadataStorage: TransformerMetadataStorage;
};

interface ConstraintCheck {
  readonly each: boolean;
  readonly validate: (value: unknown, args: ValidationArguments) => unknown;
  readonly constraints: unknown[];
}

interface PropertyPlan {
  readonly name: string;
  /** `@IsOptional()` / `@ValidateIf()`: when one says no, the property is not validated. */
  readonly conditions: Array<(object: object, value: unknown) => boolean>;
  readonly checks: ConstraintCheck[];
}

/**
 * A DTO's class-validator rules, read once and laid out flat, so a request body can
 * be checked without class-validator's per-call bookkeeping (metadata lookups and
 * grouping, an error object per property, the container lookup of every
 * constraint) and without class-transformer. It answers only "valid": it runs the
 * very constraint functions class-validator runs, with the same arguments, in the
 * same control flow as class-validator does for the options of our global pipe
 * (whitelist + forbidNonWhitelisted + forbidUnknownValues, no groups). Anything
 * else, and every invalid body, is left to the full pipe, which builds the errors.
 */
export class BodyValidationPlan {
  private constructor(
    private readonly dto: Constructor,
    private readonly allowed: ReadonlySet<string>,
    private readonly properties: readonly PropertyPlan[],
  ) {}

  /**
   * The plan of a DTO, or undefined when its rules or its class-transformer needs
   * fall outside what the plan reproduces exactly (nested or async validation,
   * `@IsDefined`, groups, `@Type`/`@Transform`/`@Expose`/`@Exclude`): such a DTO
   * always takes the full pipe.
   */
  static compile(dto: Constructor): BodyValidationPlan | undefined {
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(
      dto,
      undefined as unknown as string,
      false,
      false,
      undefined,
    );
    if (metadatas.length === 0 || !hasNoTransformerRules(dto)) return undefined;
    const byProperty = storage.groupByPropertyName(metadatas);
    const properties: PropertyPlan[] = [];
    for (const [name, own] of Object.entries(byProperty)) {
      if (!own.every(isReproducible) || !isCopiedAsIs(dto, name)) return undefined;
      const checks: ConstraintCheck[] = [];
      for (const metadata of own.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION)) {
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return undefined;
          const instance = constraint.instance as { validate: ConstraintCheck['validate'] };
          checks.push({
            each: metadata.each,
            validate: instance.validate.bind(instance),
            constraints: metadata.constraints,
          });
        }
      }
      const conditions = own
        .filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((m) => m.constraints[0] as PropertyPlan['conditions'][number]);
      properties.push({ name, conditions, checks });
    }
    return new BodyValidationPlan(dto, new Set(Object.keys(byProperty)), properties);
  }

  /**
   * The DTO instance for a body (a plain object from JSON.parse) when every rule
   * holds, else undefined. The instance is what plainToInstance gives for such a
   * DTO: a new instance with the body's properties assigned. A body with a key
   * that Nest's pipe strips before validating (`__proto__`, `prototype`,
   * `constructor`, at any depth) is left to that pipe: without such keys its
   * stripping changes nothing, so the two roads see the same body.
   */
  instanceIfValid(body: Record<string, unknown>): object | undefined {
    const instance = new this.dto() as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (!this.allowed.has(key) || STRIPPED_KEYS.has(key)) return undefined;
      const copy = copyJson(body[key]);
      if (copy === STRIPPED) return undefined;
      instance[key] = copy;
    }
    for (const property of this.properties) {
      const value = instance[property.name];
      if (!property.conditions.every((holds) => holds(instance, value))) continue;
      for (const check of property.checks) {
        const args = {
          targetName: this.dto.name,
          property: property.name,
          object: instance,
          value,
          constraints: check.constraints,
        };
        const items = check.each && Array.isArray(value) ? value : [value];
        // class-validator takes any truthy result as valid; anything but `true` (a promise too) goes to the full pipe.
        for (const item of items) if (check.validate(item, args) !== true) return undefined;
      }
    }
    return instance;
  }
}

const REPRODUCIBLE_TYPES: ReadonlySet<string> = new Set([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.WHITELIST,
]);

/** Keys Nest's ValidationPipe.stripProtoKeys silently deletes from every object before it validates. */
export const STRIPPED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'prototype', 'constructor']);
/**
 * Keys class-transformer skips when it copies a plain object (the target's inherited methods:
 * `toString`, `valueOf`, ...): a body holding one takes Nest's own pipe, so both drop them alike.
 */
const INHERITED_METHODS: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype).filter(
    (name) => typeof (Object.prototype as Record<string, unknown>)[name] === 'function',
  ),
);
/** copyJson's answer for a value holding one of STRIPPED_KEYS or INHERITED_METHODS. */
const STRIPPED = Symbol('stripped');

/**
 * plainToInstance's copy of an undecorated JSON value: new arrays and plain
 * objects, primitives as they are; STRIPPED if some object in it has a key of
 * STRIPPED_KEYS.
 */
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) if ((items[i] = copyJson(value[i])) === STRIPPED) return STRIPPED;
    return items;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (STRIPPED_KEYS.has(key) || INHERITED_METHODS.has(key)) return STRIPPED;
    if ((copy[key] = copyJson((value as Record<string, unknown>)[key])) === STRIPPED) return STRIPPED;
  }
  return copy;
}

function isReproducible(metadata: ValidationMetadata): boolean {
  return REPRODUCIBLE_TYPES.has(metadata.type) && !metadata.groups?.length && metadata.always === undefined;
}

/** No class-level class-transformer rule (strategy, @Expose, @Exclude) on the DTO or its ancestors. */
function hasNoTransformerRules(dto: Constructor): boolean {
  return (
    defaultMetadataStorage.getStrategy(dto) === 'none' &&
    defaultMetadataStorage.getExposedMetadatas(dto).length === 0 &&
    defaultMetadataStorage.getExcludedMetadatas(dto).length === 0
  );
}

/**
 * plainToInstance copies the property's JSON value as it is: no @Type, @Transform,
 * @Expose or @Exclude on it. (Declared types play no part without implicit
 * conversion, which the pipe requires off before it uses a plan.)
 */
function isCopiedAsIs(dto: Constructor, property: string): boolean {
  return (
    defaultMetadataStorage.findTypeMetadata(dto, property) === undefined &&
    defaultMetadataStorage.findTransformMetadatas(dto, property, TransformationType.PLAIN_TO_CLASS).length === 0 &&
    defaultMetadataStorage.findExposeMetadata(dto, property) === undefined &&
    defaultMetadataStorage.findExcludeMetadata(dto, property) === undefined
  );
}
