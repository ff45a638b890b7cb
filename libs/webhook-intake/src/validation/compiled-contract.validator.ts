import {
  getMetadataStorage,
  ValidationTypes,
  type MetadataStorage,
  type ValidationArguments,
} from 'class-validator';

import { nestedDtoOf } from './nested-dto.registry.js';
import type { DtoClass } from './nested-object.decorator.js';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];

/** True when the value passes; false when it fails — or when this check cannot tell. */
type CompiledCheck = (value: Record<string, unknown>) => boolean;

interface PropertyChecks {
  readonly property: string;
  /** `@IsOptional`, `@ValidateIf`: when one is false, the property is not judged. */
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  /** `@IsDefined` first, then every other constraint, in class-validator's order. */
  readonly constraints: readonly ConstraintCheck[];
  readonly nested: readonly NestedCheck[];
}

interface ConstraintCheck {
  readonly metadata: ValidationMetadata;
  readonly validate: (value: unknown, args: ValidationArguments) => unknown;
}

interface NestedCheck {
  /** Undefined when no DTO is registered for the property: then nothing nested passes. */
  readonly dto: DtoClass | undefined;
}

const compiled = new WeakMap<DtoClass, CompiledCheck>();

/**
 * The accept path of the contract check: class-validator's verdict on a DTO, computed
 * straight from its decorator metadata and constraint instances, without building DTO
 * instances (class-transformer) or error trees. About ten times cheaper, which matters
 * because every delivery is checked once. It only says "valid": any failure sends the
 * body through class-validator itself, which explains it, so a check this code cannot
 * reproduce (async or unknown constraint kinds) fails safe rather than passing.
 */
export function compiledContract(dto: DtoClass): CompiledCheck {
  let check = compiled.get(dto);
  if (!check) {
    check = compile(dto);
    compiled.set(dto, check);
  }
  return check;
}

function compile(dto: DtoClass): CompiledCheck {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', false, false);
  // forbidUnknownValues: a class without metadata is an error, never a silent pass.
  if (metadatas.length === 0) return () => false;
  const grouped = storage.groupByPropertyName(metadatas);
  const properties: PropertyChecks[] = [];
  for (const [property, group] of Object.entries(grouped)) {
    const checks = propertyChecks(storage, property, group);
    if (!checks) return () => false;
    properties.push(checks);
  }
  const targetName = dto.name;
  return (object) => {
    for (const { property, conditions, constraints, nested } of properties) {
      const value = Object.hasOwn(object, property) ? object[property] : undefined;
      if (!conditions.every((condition) => condition(object, value))) continue;
      for (const { metadata, validate } of constraints) {
        if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
        const args: ValidationArguments = {
          targetName,
          property,
          object,
          value,
          constraints: metadata.constraints,
        };
        const valid =
          metadata.each && Array.isArray(value)
            ? value.every((element: unknown) => validate(element, args) === true)
            : validate(value, args) === true;
        if (!valid) return false;
      }
      if (
        value !== undefined &&
        !nested.every(({ dto: nestedDto }) => nestedValid(nestedDto, value))
      ) {
        return false;
      }
    }
    return true;
  };
}

function propertyChecks(
  storage: MetadataStorage,
  property: string,
  group: readonly ValidationMetadata[],
): PropertyChecks | undefined {
  const conditions: ((object: object, value: unknown) => boolean)[] = [];
  const defined: ConstraintCheck[] = [];
  const custom: ConstraintCheck[] = [];
  const nested: NestedCheck[] = [];
  for (const metadata of group) {
    switch (metadata.type) {
      case ValidationTypes.CONDITIONAL_VALIDATION:
        conditions.push(metadata.constraints[0] as (object: object, value: unknown) => boolean);
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        const target = metadata.type === ValidationTypes.IS_DEFINED ? defined : custom;
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if (constraint.async) return undefined;
          const instance = constraint.instance;
          target.push({ metadata, validate: (value, args) => instance.validate(value, args) });
        }
        break;
      }
      case ValidationTypes.NESTED_VALIDATION:
        nested.push({ dto: nestedDtoOf(metadata.target as object, property) });
        break;
      default:
        // Promise validation, whitelisting: nothing the contracts use; fail safe.
        return undefined;
    }
  }
  return { property, conditions, constraints: [...defined, ...custom], nested };
}

/**
 * A nested value passes when it is a JSON object (or an array of them) that passes its
 * DTO. Anything else — a primitive, null, an array inside an array — is left to
 * class-validator to judge and explain.
 */
function nestedValid(dto: DtoClass | undefined, value: unknown): boolean {
  if (dto === undefined) return false;
  const check = compiledContract(dto);
  if (Array.isArray(value))
    return value.every((element: unknown) => isPlainObject(element) && check(element));
  return isPlainObject(value) && check(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
