import { givenHistory } from '#testing';
import type { TicketCheckedIn, TicketDeliveryRequested } from '../ledger-events.js';
import { consentDecider } from './consent.decider.js';
import { ticketDecider } from './ticket.decider.js';

const request: TicketDeliveryRequested = {
  ticketId: 'T1',
  ticketDeliveryId: 'D1',
  eventId: 'E1',
  eventProductId: 'P1',
  deliveryKind: 'email',
  recipient: 'buyer@example.com',
  requestedAt: '2026-05-05T12:00:00.000Z',
  occurredAt: '2026-05-05T12:00:00.000Z',
  attendee: { name: 'A' },
};

const checkIn: TicketCheckedIn = {
  ticketId: 'T1',
  checkInId: 'C1',
  eventId: 'E1',
  eventProductId: 'P1',
  checkedInAt: '2026-05-05T19:00:00.000Z',
  occurredAt: '2026-05-05T19:00:00.000Z',
  scannerSessionId: 'S1',
  attendee: {},
  gate: 'North',
  deviceId: null,
  contentHash: 'h',
};

describe('ticket decider', () => {
  it('records a delivery request', () => {
    givenHistory(ticketDecider)
      .when({ kind: 'RequestTicketDelivery', request })
      .expectEvents([{ type: 'TicketDeliveryRequested', data: request }]);
  });

  it('given a ticket never requested, when it is checked in, then the check-in is recorded all the same', () => {
    givenHistory(ticketDecider)
      .when({ kind: 'RecordCheckIn', checkIn })
      .expectEvents([{ type: 'TicketCheckedIn', data: checkIn }]);
  });

  it('given earlier check-ins, when another arrives, then it is recorded (duplicates are a read-model matter)', () => {
    givenHistory(ticketDecider, { type: 'TicketCheckedIn', data: checkIn })
      .when({ kind: 'RecordCheckIn', checkIn: { ...checkIn, checkInId: 'C2' } })
      .expectTypes(['TicketCheckedIn']);
  });
});

describe('consent decider', () => {
  it('records an opt-in without a booking', () => {
    const optIn = {
      bookingReference: null,
      customerDigest: 'digest',
      optInText: 'Receive updates and offers',
      isOptedIn: true,
      reportedAt: '2025-04-01T08:40:36.2103717Z',
    };

    givenHistory(consentDecider)
      .when({ kind: 'RecordOptIn', optIn })
      .expectEvents([{ type: 'AffiliateOptInRecorded', data: optIn }]);
  });
});
