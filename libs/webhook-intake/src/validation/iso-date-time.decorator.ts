import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

// Fraction of any length: LTD writes seven digits, Ingresse six; `Date` would truncate
// them, so values stay strings and are only checked here.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM]` naming a date that exists (no month 13, no
 * 30 February). `offset: 'required'` makes it an instant (RFC 3339 date-time).
 */
export function isIsoDateTime(
  value: unknown,
  offset: 'required' | 'optional' = 'optional',
): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_TIME.exec(value);
  if (match === null) return false;
  // Absent groups (no offset) read as 0, which is always in range.
  const field = (group: number): number => Number(match[group] ?? 0);
  const hasOffset = value.endsWith('Z') || match[7] !== undefined;
  if (offset === 'required' && !hasOffset) return false;
  const year = field(1);
  const month = field(2);
  const day = field(3);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    field(4) <= 23 &&
    field(5) <= 59 &&
    field(6) <= 59 &&
    field(7) <= 23 &&
    field(8) <= 59
  );
}

/** An ISO-8601 date-time whose offset may be absent (a local date-time, e.g. Ingresse's). */
export function IsIsoDateTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateTime',
      validator: {
        validate: (value: unknown) => isIsoDateTime(value, 'optional'),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be an ISO-8601 date-time (YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM])`,
          options,
        ),
      },
    },
    options,
  );
}
