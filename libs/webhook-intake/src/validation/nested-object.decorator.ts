import { Type } from 'class-transformer';
import { IsObject, ValidateNested, type ValidationOptions } from 'class-validator';

import { registerNestedDto } from './nested-dto.registry.js';

/** Any class: class-transformer instantiates it with `new`, without arguments. */
export type DtoClass = new () => object;

/** The property is a JSON object validated against `dto`. */
export function NestedObject(dto: () => DtoClass, options?: ValidationOptions): PropertyDecorator {
  const decorators = [IsObject(options), ValidateNested(options), Type(dto)];
  return (target, propertyKey) => {
    for (const decorate of decorators) decorate(target, propertyKey);
    registerNestedDto(target, propertyKey, dto);
  };
}
