import { pino, type Logger } from 'pino';
import type { LogLevel } from '#configuration';

/**
 * Paths never written to the logs: credentials and the personal data webhooks carry
 * (attendee and customer e-mails, names, phone numbers).
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["webhook-signature"]',
  'req.headers["x-signature"]',
  'req.query.token',
  '*.email',
  '*.Email',
  '*.name',
  '*.FullName',
  '*.FirstName',
  '*.LastName',
  '*.PhoneNumber',
  '*.Telephone',
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
