import { ValidateIf, type ValidationOptions } from 'class-validator';

/**
 * The property may be absent, but when present, `null` included, it is validated. For
 * strictly typed contracts (COPE's JSON schemas); class-validator's `@IsOptional()` also
 * waves `null` through, which suits the looser providers.
 */
export function IsOmittable(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined, options);
}
