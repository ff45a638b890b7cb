import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

import { envelopeTypeOf, isCopeEventType, parseCopeDataSchema } from './cope.constants.js';

/**
 * For the documented types `dataschema` must be `https://schemas.cope.com/events/<type>/v<N>`
 * naming the event's own type (the major version itself is judged by the check, which
 * parks other majors). Other types may point anywhere.
 */
export function IsCopeDataSchema(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCopeDataSchema',
      validator: {
        validate: (value: unknown, args) => {
          const type = args === undefined ? undefined : envelopeTypeOf(args.object);
          if (!isCopeEventType(type)) return typeof value === 'string';
          return parseCopeDataSchema(value)?.type === type;
        },
        defaultMessage: buildMessage(
          () => `$property must be https://schemas.cope.com/events/<the event's type>/v<major>`,
        ),
      },
    },
    options,
  );
}
