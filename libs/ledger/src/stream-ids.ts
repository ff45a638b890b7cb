import type { Provider } from './provider.js';

/**
 * Stream ids are `<category>-<provider>.<id>` (intake.md, "Streams") so that
 * EventStoreDB's by-category projections (`$ce-ticket`, ...) group them.
 */
export const streamIds = {
  copeTicket: (ticketId: string) => `ticket-cope.${ticketId}`,
  copeShow: (eventId: string) => `show-cope.${eventId}`,
  ltdBooking: (bookingReference: string) => `booking-ltd.${bookingReference}`,
  ltdPerformance: (performanceId: number) => `performance-ltd.${String(performanceId)}`,
  ltdShow: (eventId: number) => `show-ltd.${String(eventId)}`,
  /** `emailDigest`: keyed hash of the lower-cased e-mail, never the e-mail itself. */
  ltdConsent: (emailDigest: string) => `consent-ltd.${emailDigest}`,
  ingresseTicketType: (ticketTypeId: number) => `tickettype-ingresse.${String(ticketTypeId)}`,
  parked: (provider: Provider) => `parked-${provider}`,
} as const;

export const AUDIT_CHECKPOINTS_STREAM = 'audit-checkpoints';

/** `ticket-cope.T1` → `ticket`; `parked-ltd` → `parked`. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash < 0 ? streamId : streamId.slice(0, dash);
}
