import { isIsoDateTime } from './iso-date-time.decorator.js';
import { isIsoInstant } from './iso-instant.decorator.js';

describe('isIsoInstant / isIsoDateTime', () => {
  describe('given instants with an offset', () => {
    it.each([
      '2026-05-05T12:00:00Z',
      '2026-05-05T12:00:00.000Z',
      '2024-03-05T08:26:11.1451352Z',
      '2026-05-05T12:00:00.123456789012+05:30',
      '2026-05-05T12:00:00-00:00',
      '2024-02-29T00:00:00Z',
      '2000-02-29T23:59:59+23:59',
      '0001-01-01T00:00:00Z',
    ])('when %j is checked, then both accept it', (value) => {
      expect(isIsoInstant(value)).toBe(true);
      expect(isIsoDateTime(value)).toBe(true);
    });
  });

  describe('given local date-times without an offset', () => {
    it.each(['2018-04-02T13:57:04.770619', '2023-12-07T19:30:00', '2024-02-29T12:00:00.1'])(
      'when %j is checked, then only the date-time check accepts it',
      (value) => {
        expect(isIsoInstant(value)).toBe(false);
        expect(isIsoDateTime(value)).toBe(true);
      },
    );
  });

  describe('given impossible or malformed values', () => {
    it.each([
      ['month 13', '2026-13-05T12:00:00Z'],
      ['month 0', '2026-00-05T12:00:00Z'],
      ['day 0', '2026-05-00T12:00:00Z'],
      ['30 February', '2026-02-30T12:00:00Z'],
      ['29 February of a common year', '2023-02-29T12:00:00Z'],
      ['29 February 1900', '1900-02-29T12:00:00Z'],
      ['31 April', '2026-04-31T12:00:00Z'],
      ['hour 24', '2026-05-05T24:00:00Z'],
      ['minute 60', '2026-05-05T12:60:00Z'],
      ['second 60', '2026-05-05T12:00:60Z'],
      ['offset hour 24', '2026-05-05T12:00:00+24:00'],
      ['offset minute 60', '2026-05-05T12:00:00+01:60'],
      ['offset without colon', '2026-05-05T12:00:00+0100'],
      ['empty fraction', '2026-05-05T12:00:00.Z'],
      ['no seconds', '2026-05-05T12:00Z'],
      ['a space for T', '2026-05-05 12:00:00Z'],
      ['lower-case t', '2026-05-05t12:00:00Z'],
      ['a date only', '2026-05-05'],
      ['garbage', 'not a date'],
      ['trailing text', '2026-05-05T12:00:00Z trailing'],
      ['a number', 1778000000000],
      ['null', null],
      ['an object', {}],
    ])('when the value has %s (%j), then both reject it', (_case, value) => {
      expect(isIsoInstant(value)).toBe(false);
      expect(isIsoDateTime(value)).toBe(false);
    });
  });
});
