import { pino, type Logger } from 'pino';
import type { LogLevel } from '#configuration';

/**
 * Paths never written to the logs: credentials and the personal data webhooks carry
 * (attendee and customer e-mails, names, phone numbers). The code logs neither bodies
 * nor query strings; this is the second line of defence.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'req.headers["x-signature"]',
  'req.query.token',
  'req.url',
  'headers.authorization',
  'attendee',
  'customer',
  '*.attendee',
  '*.customer',
  '*.Customer',
  '*.email',
  '*.Email',
  '*.recipient',
  '*.name',
  '*.FullName',
  '*.FirstName',
  '*.LastName',
  '*.PhoneNumber',
  '*.Telephone',
  '*.rawBody',
];

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ledger-api' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
