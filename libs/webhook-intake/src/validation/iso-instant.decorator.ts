import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

import { isIsoDateTime } from './iso-date-time.decorator.js';

/** An RFC 3339 instant: the offset (`Z` or `±HH:MM`) is required, the fraction any length. */
export function isIsoInstant(value: unknown): value is string {
  return isIsoDateTime(value, 'required');
}

export function IsIsoInstant(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoInstant',
      validator: {
        validate: (value: unknown) => isIsoInstant(value),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be an ISO-8601 instant with an offset (YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM))`,
          options,
        ),
      },
    },
    options,
  );
}
