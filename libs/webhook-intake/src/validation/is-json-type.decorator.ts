import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

export type JsonTypeName = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';

export function jsonTypeOf(value: unknown): JsonTypeName | 'null' | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? 'integer' : 'number';
  // Anything else a parsed body cannot hold counts as absent.
  return typeof value === 'object' ? 'object' : 'undefined';
}

function matches(value: unknown, type: JsonTypeName): boolean {
  const actual = jsonTypeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/**
 * The value has one of several JSON types: for fields the providers write either way
 * (LTD's `TicketName2` is "N" or 40, Ingresse's `attributes` is `{…}` or `[]`).
 */
export function IsJsonType(
  types: readonly [JsonTypeName, ...JsonTypeName[]],
  options?: ValidationOptions,
): PropertyDecorator {
  const article = (type: JsonTypeName): string => `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
  const expected = types.map(article).join(' or ');
  return ValidateBy(
    {
      name: 'isJsonType',
      constraints: [...types],
      validator: {
        validate: (value: unknown) => types.some((type) => matches(value, type)),
        defaultMessage: buildMessage((each) => `${each}$property must be ${expected}`, options),
      },
    },
    options,
  );
}
