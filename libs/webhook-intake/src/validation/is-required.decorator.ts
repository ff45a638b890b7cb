import { IsDefined, type ValidationOptions } from 'class-validator';

/**
 * The property must be present and not null. Put it on every required property: the
 * violation then says "is required" instead of a type mismatch about `undefined`.
 */
export function IsRequired(options?: ValidationOptions): PropertyDecorator {
  return IsDefined({
    message: ({ property, value }) =>
      value === null ? `${property} must not be null` : `${property} is required`,
    ...options,
  });
}
