import {
  canonicalJsonSha256,
  ledgerEvent,
  normaliseSenderTime,
  type BookingTicketCancelled,
  type BookingTicketIssued,
  type BookingTicketReinstated,
  type CopeEventPublished,
  type EticketsReleased,
  type TicketCheckedIn,
  type TicketDeliveryRequested,
} from '#ledger';

/**
 * Small builders of domain events for read-model specs: the identifying fields as
 * arguments, everything else defaulted and overridable.
 */

export function deliveryRequested(
  ticketId: string,
  eventId: string,
  overrides: Partial<TicketDeliveryRequested> = {},
) {
  const requestedAt = overrides.requestedAt ?? '2026-05-01T10:00:00Z';
  return ledgerEvent('TicketDeliveryRequested', {
    ticketId,
    ticketDeliveryId: `D-${ticketId}`,
    eventId,
    eventProductId: 'P1',
    deliveryKind: 'email',
    recipient: `${ticketId.toLowerCase()}@example.com`,
    requestedAt,
    occurredAt: requestedAt,
    attendee: { name: `Attendee ${ticketId}` },
    ...overrides,
  });
}

/** `contentHash` defaults to the canonical hash of the other fields, as intake computes it. */
export function checkedIn(
  checkInId: string,
  ticketId: string,
  eventId: string,
  overrides: Partial<Omit<TicketCheckedIn, 'contentHash'>> & { contentHash?: string } = {},
) {
  const checkedInAt = overrides.checkedInAt ?? '2026-05-05T19:00:00Z';
  const { contentHash, ...rest } = overrides;
  const data: Omit<TicketCheckedIn, 'contentHash'> = {
    ticketId,
    checkInId,
    eventId,
    eventProductId: 'P1',
    checkedInAt,
    occurredAt: checkedInAt,
    scannerSessionId: 'S1',
    attendee: {},
    gate: 'North',
    deviceId: null,
    ...rest,
  };
  return ledgerEvent('TicketCheckedIn', {
    ...data,
    contentHash: contentHash ?? canonicalJsonSha256(data),
  });
}

/** A check-in without a gate (`gate` is optional in COPE's contract; null in TicketCheckedIn v2). */
export function checkedInWithoutGate(checkInId: string, ticketId: string, eventId: string) {
  const { contentHash: _contentHash, ...checkIn } = checkedIn(checkInId, ticketId, eventId).data;
  const data = { ...checkIn, gate: null };
  return ledgerEvent('TicketCheckedIn', { ...data, contentHash: canonicalJsonSha256(data) });
}

/** `senderTime` is the normalised `occurredAt`; `hash` defaults to the content's hash. */
export function copeEventPublished(eventId: string, overrides: Partial<CopeEventPublished> = {}) {
  const occurredAt = overrides.occurredAt ?? '2026-04-01T09:00:00Z';
  const data: Omit<CopeEventPublished, 'hash' | 'senderTime'> = {
    eventId,
    title: `Event ${eventId}`,
    capacity: 100,
    startsAt: '2026-05-05T18:00:00Z',
    endsAt: '2026-05-05T23:00:00Z',
    timezone: 'Europe/London',
    eventProductIds: ['P1'],
    occurredAt,
    ...overrides,
  };
  return ledgerEvent('CopeEventPublished', {
    ...data,
    senderTime: overrides.senderTime ?? normaliseSenderTime(occurredAt),
    hash: overrides.hash ?? canonicalJsonSha256(data),
  });
}

export interface LtdTicketRef {
  readonly bookingReference: string;
  readonly barcode: string;
  readonly seat: string;
}

function ltdRef({ bookingReference, barcode, seat }: LtdTicketRef) {
  return { bookingReference, barcode, seat, ticketKey: `${barcode}|${seat}` };
}

export function ltdTicketIssued(
  ticket: LtdTicketRef,
  overrides: Partial<BookingTicketIssued> = {},
) {
  return ledgerEvent('BookingTicketIssued', {
    ...ltdRef(ticket),
    performanceId: 1001,
    eventId: 501,
    area: 'Stalls',
    status: 'Purchased',
    ...overrides,
  });
}

export function ltdTicketCancelled(
  ticket: LtdTicketRef,
  overrides: Partial<BookingTicketCancelled> = {},
) {
  return ledgerEvent('BookingTicketCancelled', {
    ...ltdRef(ticket),
    performanceId: 1001,
    reason: 'status',
    ...overrides,
  });
}

export function ltdTicketReinstated(
  ticket: LtdTicketRef,
  overrides: Partial<BookingTicketReinstated> = {},
) {
  return ledgerEvent('BookingTicketReinstated', {
    ...ltdRef(ticket),
    performanceId: 1001,
    status: 'Purchased',
    ...overrides,
  });
}

export function eticketsReleased(
  bookingReference: string,
  tickets: EticketsReleased['tickets'],
  releasedAt = '2026-05-04T12:00:00Z',
) {
  return ledgerEvent('EticketsReleased', { bookingReference, releasedAt, tickets });
}
