import type { DtoClass } from './nested-object.decorator.js';

/**
 * Which DTO a nested property holds, by the class that declares the property: what
 * class-transformer's `@Type` tells it, kept where the compiled contract check can read it
 * without reaching into class-transformer's private storage.
 */
const nestedDtos = new Map<object, Map<string | symbol, () => DtoClass>>();

export function registerNestedDto(
  prototype: object,
  property: string | symbol,
  dto: () => DtoClass,
): void {
  const declaringClass = (prototype as { constructor: object }).constructor;
  let properties = nestedDtos.get(declaringClass);
  if (!properties)
    nestedDtos.set(declaringClass, (properties = new Map<string | symbol, () => DtoClass>()));
  properties.set(property, dto);
}

export function nestedDtoOf(declaringClass: object, property: string): DtoClass | undefined {
  return nestedDtos.get(declaringClass)?.get(property)?.();
}
