import { Type } from 'class-transformer';
import { IsArray, ValidateBy, ValidateNested, type ValidationOptions } from 'class-validator';

import { registerNestedDto } from './nested-dto.registry.js';
import type { DtoClass } from './nested-object.decorator.js';

const isObject = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Elements that are not JSON objects; class-validator would descend into nested arrays. */
function nonObjectIndexes(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  const indexes: number[] = [];
  value.forEach((element: unknown, index) => {
    if (!isObject(element)) indexes.push(index);
  });
  return indexes;
}

/** The property is a JSON array of objects, each validated against `dto`. */
export function NestedArray(dto: () => DtoClass, options?: ValidationOptions): PropertyDecorator {
  const decorators = [
    IsArray(options),
    ValidateBy(
      {
        name: 'isArrayOfObjects',
        validator: {
          validate: (value: unknown) => nonObjectIndexes(value).length === 0,
          defaultMessage: (args) => {
            // A few indexes are enough to find the culprit; a huge array must not yield a huge message.
            const indexes = nonObjectIndexes(args?.value);
            const shown = indexes.slice(0, 5).join(', ') + (indexes.length > 5 ? ', …' : '');
            return `$property must hold objects only (not at index ${shown})`;
          },
        },
      },
      options,
    ),
    ValidateNested({ ...options, each: true }),
    Type(dto),
  ];
  return (target, propertyKey) => {
    for (const decorate of decorators) decorate(target, propertyKey);
    registerNestedDto(target, propertyKey, dto);
  };
}
