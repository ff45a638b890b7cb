import { ValidateBy, type ValidationOptions } from 'class-validator';

import { COPE_SUBJECT_PREFIXES, envelopeTypeOf, isCopeEventType } from './cope.constants.js';

/**
 * For the documented types the subject follows `<prefix><identifier>` (`event:…`, …);
 * other types' subject patterns are unknown, so any string goes.
 */
export function IsCopeSubject(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCopeSubject',
      validator: {
        validate: (value: unknown, args) => {
          const type = args === undefined ? undefined : envelopeTypeOf(args.object);
          if (!isCopeEventType(type)) return typeof value === 'string';
          return typeof value === 'string' && value.startsWith(COPE_SUBJECT_PREFIXES[type]);
        },
        defaultMessage: (args) => {
          const type = args === undefined ? undefined : envelopeTypeOf(args.object);
          return isCopeEventType(type)
            ? `$property must start with "${COPE_SUBJECT_PREFIXES[type]}" for ${type} events`
            : '$property must be a string';
        },
      },
    },
    options,
  );
}
