// A scenario corpus for the reconciliation rules (reconciliation.md): raw webhook bodies
// built from the seeds' examples, with ids, timestamps and statuses varied so that every
// rule has a case — and, where the rule is about order, a case whose facts disagree
// with any arrival order. Deliver it in any order: the read models must end up the same.
import type { JsonObject, JsonValue } from '#event-store';
import type { Provider } from '#ledger';
import {
  COPE_CHECK_IN_CREATED_EXAMPLE,
  COPE_EVENT_PUBLISHED_EXAMPLE,
  COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE,
  INGRESSE_TICKET_GROUP_EXAMPLE,
  INGRESSE_TICKET_TYPE_EXAMPLE,
  LTD_AFFILIATE_OPT_IN_EXAMPLE,
  LTD_EVENT_CHANGED_EXAMPLE,
  LTD_PERFORMANCE_CHANGED_EXAMPLE,
  LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE,
  LTD_TRANSACTION_CHANGED_EXAMPLE,
} from '#testing';

/** One webhook as a provider sends it: the raw JSON body, and where it goes. */
export interface CorpusDelivery {
  /** What the delivery is for, to make a failing order readable. */
  readonly label: string;
  readonly provider: Provider;
  readonly body: string;
}

/** Every id the corpus mentions, by the read that answers for it. */
export interface CorpusIds {
  readonly copeEvents: readonly string[];
  /** Every ticket code: COPE ticket ids and LTD barcodes, scanned or not. */
  readonly ticketCodes: readonly string[];
  /** COPE ticket ids (`/deliveries/cope/{ticketId}`). */
  readonly copeTickets: readonly string[];
  readonly ltdBookings: readonly string[];
  readonly ltdPerformances: readonly number[];
  readonly ingresseEvents: readonly number[];
}

/** The ids a test needs by name, to state what the rules make of them. */
export interface CorpusNames {
  readonly events: {
    /** Three publications (older, newer, newest): capacity 4 wins, and 10 codes get in. */
    readonly main: string;
    /** Two publications with the same `occurred_at`: the greater hash wins. */
    readonly other: string;
    /** Check-ins, no publication: capacity null. */
    readonly unpublished: string;
  };
  readonly tickets: {
    readonly checkedIn: string;
    readonly noShow: string;
    /** Requested for `other`, then for `main` (newer), with a same-time tie broken by id. */
    readonly moved: string;
    /** A ticket of `other` scanned at `main`. */
    readonly wrongEvent: string;
    /** Scanned at `main` before (by its own clock) its delivery request: known in the end. */
    readonly late: string;
    /** Scanned at `main`, issued by nobody. */
    readonly unknown: string;
    /** Two check-ins at `main`. */
    readonly scannedTwice: string;
    /** One `check_in_id` delivered twice, gates differing. */
    readonly conflicting: string;
    /** One `check_in_id` delivered twice, naming two different tickets of `other`. */
    readonly conflictingX: string;
    readonly conflictingY: string;
    readonly unpublished: string;
  };
  readonly checkIns: {
    /** The conflicting check-in of `tickets.conflicting`. */
    readonly conflicting: string;
    readonly conflictingTickets: string;
  };
  readonly barcodes: {
    /** Seat E15 of the print-at-home booking: cancelled by the newest transaction, scanned at `main`. */
    readonly e15: string;
    /** Seat J7: cancelled, then reinstated; scanned at `main`. */
    readonly j7: string;
    /** Listed, then missing from a newer transaction: removed. */
    readonly k1: string;
    /** Only in a transaction older than every other: known, and removed. */
    readonly l1: string;
    /** One barcode on three seats (the LTD seed's own example), scanned four times at `main`. */
    readonly shared: string;
    /** Cancelled, yet released as an e-ticket. */
    readonly n41: string;
    /** Released as an e-ticket, listed by no transaction. */
    readonly unknownEticket: string;
    /** On two seats of two bookings. */
    readonly duplicated: string;
    readonly pending: string;
    readonly cancelled1: string;
    readonly cancelled2: string;
    readonly releaseOnly: string;
    readonly switched: string;
    /** Moved to another performance and area by a newer transaction, then dropped by the newest. */
    readonly moving: string;
    /** Kept by every transaction of `moving`; the newer ones give it no area. */
    readonly staying: string;
  };
  readonly bookings: {
    /** Print-at-home, four transactions (one older than all): available. */
    readonly printAtHome: string;
    /** Scheduled e-tickets, released twice (once before the transaction): available. */
    readonly scheduled: string;
    /** Scheduled e-tickets, never released: pending. */
    readonly pending: string;
    /** Shares a barcode with `pending`. */
    readonly duplicate: string;
    /** Every ticket cancelled. */
    readonly cancelled: string;
    /** Only a `ScheduledEticketDelivery`, no transaction. */
    readonly releaseOnly: string;
    /** Only an opt-in names it. */
    readonly optIn: string;
    /** Print-at-home, then (newer) scheduled e-tickets: pending. */
    readonly switched: string;
    /** Three transactions: a ticket moves between performances and areas, then is dropped. */
    readonly moving: string;
  };
  readonly performances: {
    /** Reported twice; the newest says nothing is unavailable: the affiliate exceeds it. */
    readonly main: number;
    /** Disabled by its newest report, with live bookings. */
    readonly disabled: number;
    /** Known from bookings only. */
    readonly scheduled: number;
    readonly booked: number;
    /** Reported twice at one instant, with one booking. */
    readonly reported: number;
    /** Named only by `moving`'s oldest transaction: known, with no seat on it. */
    readonly movedFrom: number;
    /** Where `moving`'s newer transaction put the ticket its newest one dropped. */
    readonly movedTo: number;
    /** Where `moving`'s other seat stays. */
    readonly kept: number;
  };
  readonly ltdEvent: number;
  readonly ingresse: {
    readonly event: number;
    readonly group: number;
    /** Own webhook and embedded copy at the same timestamp: the own one wins. */
    readonly ownBeatsEmbedded: number;
    /** Own webhook older than the group's newer embedded (archived) copy. */
    readonly embeddedNewer: number;
    readonly archivedGroup: number;
    readonly childOfArchivedGroup: number;
    readonly solo: number;
    readonly archivedSolo: number;
  };
  /** A code, a booking, a performance and an event no fact mentions (404). */
  readonly unknownTicket: string;
  readonly unknownBooking: string;
  readonly unknownPerformance: number;
}

export interface ReconciliationCorpus {
  readonly deliveries: readonly CorpusDelivery[];
  readonly ids: CorpusIds;
  readonly names: CorpusNames;
}

/** A mutable deep copy of a (deep-frozen) fixture. */
function copy(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value)) as JsonObject;
}

function member(object: JsonObject, key: string): JsonObject {
  const value = object[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`no object at ${key}`);
  }
  return value;
}

function firstOf(values: JsonValue | undefined): JsonObject {
  if (!Array.isArray(values)) throw new Error('not an array');
  const [first] = values;
  if (typeof first !== 'object' || first === null || Array.isArray(first)) {
    throw new Error('no object first');
  }
  return first;
}

/**
 * The corpus. String ids start with `namespace`, integer ids are offset by `base`, so
 * that several copies can share one store without meeting.
 */
export function reconciliationCorpus(namespace = 'rc', base = 7_000_000): ReconciliationCorpus {
  const ns = (name: string) => `${namespace}-${name}`;
  const int = (offset: number) => base + offset;
  const deliveries: CorpusDelivery[] = [];
  const add = (label: string, provider: Provider, body: JsonObject) => {
    deliveries.push({ label, provider, body: JSON.stringify(body) });
  };

  // ---- COPE ------------------------------------------------------------------------------

  const cope = (label: string, example: JsonObject, subject: string, data: JsonObject) => {
    const type = example['type'];
    if (typeof type !== 'string') throw new Error('a CloudEvent has a type');
    const id = `${type}:${ns(label)}`;
    const occurredAt = data['occurred_at'];
    add(label, 'cope', {
      ...example,
      id,
      idempotency_key: `idem:${id}`,
      subject,
      time: typeof occurredAt === 'string' ? occurredAt : '2026-05-05T12:00:00.000Z',
      data,
    });
  };

  const published = (
    label: string,
    eventId: string,
    fields: { occurredAt: string; capacity: number; title: string; startsAt: string },
  ) => {
    const example = copy(COPE_EVENT_PUBLISHED_EXAMPLE);
    cope(label, example, `event:${eventId}`, {
      ...member(example, 'data'),
      event_id: eventId,
      event_product_ids: [ns('product')],
      occurred_at: fields.occurredAt,
      capacity: fields.capacity,
      title: fields.title,
      starts_at: fields.startsAt,
      ends_at: '2026-05-05T23:00:00.000Z',
      timezone: 'Europe/London',
    });
  };

  const requested = (
    label: string,
    ticketId: string,
    eventId: string,
    requestedAt: string,
    ticketDeliveryId = ns(`del-${label}`),
  ) => {
    const example = copy(COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE);
    cope(label, example, `ticket_delivery:${ticketDeliveryId}`, {
      ...member(example, 'data'),
      attendee: { email: `${ticketId}@example.com`, name: `Attendee ${ticketId}` },
      delivery_kind: 'email',
      event_id: eventId,
      event_product_id: ns('product'),
      occurred_at: requestedAt,
      recipient: `${ticketId}@example.com`,
      requested_at: requestedAt,
      ticket_delivery_id: ticketDeliveryId,
      ticket_id: ticketId,
    });
  };

  const checkIn = (
    label: string,
    fields: {
      checkInId: string;
      ticketId: string;
      eventId: string;
      at: string;
      gate?: string;
      scanner?: string;
    },
  ) => {
    const example = copy(COPE_CHECK_IN_CREATED_EXAMPLE);
    cope(label, example, `check_in:${fields.checkInId}`, {
      ...member(example, 'data'),
      attendee: { email: `${fields.ticketId}@example.com`, name: `Attendee ${fields.ticketId}` },
      check_in_id: fields.checkInId,
      checked_in_at: fields.at,
      event_id: fields.eventId,
      event_product_id: ns('product'),
      occurred_at: fields.at,
      scanner_session_id: fields.scanner ?? ns('scanner-1'),
      ticket_id: fields.ticketId,
      ...(fields.gate === undefined ? {} : { gate: fields.gate }),
    });
  };

  const events = {
    main: ns('show-main'),
    other: ns('show-other'),
    unpublished: ns('show-unpublished'),
  };

  // Newer and older publications: the newest (by occurred_at) wins whatever the order.
  published('publish-main-draft', events.main, {
    occurredAt: '2026-03-01T09:00:00.000Z',
    capacity: 500,
    title: 'Main (draft)',
    startsAt: '2026-05-05T17:00:00.000Z',
  });
  published('publish-main', events.main, {
    occurredAt: '2026-04-01T09:00:00.000Z',
    capacity: 100,
    title: 'Main',
    startsAt: '2026-05-05T18:00:00.000Z',
  });
  published('publish-main-small-room', events.main, {
    occurredAt: '2026-04-02T09:00:00.1234567Z',
    capacity: 4,
    title: 'Main (small room)',
    startsAt: '2026-05-05T18:30:00.000Z',
  });
  // Two publications at one instant: the greater canonical hash wins.
  published('publish-other-a', events.other, {
    occurredAt: '2026-04-01T10:00:00.000Z',
    capacity: 10,
    title: 'Other A',
    startsAt: '2026-05-06T18:00:00.000Z',
  });
  published('publish-other-b', events.other, {
    occurredAt: '2026-04-01T10:00:00.000Z',
    capacity: 20,
    title: 'Other B',
    startsAt: '2026-05-06T18:00:00.000Z',
  });

  const tickets = {
    checkedIn: ns('ticket-checked-in'),
    noShow: ns('ticket-no-show'),
    moved: ns('ticket-moved'),
    wrongEvent: ns('ticket-wrong-event'),
    late: ns('ticket-late'),
    unknown: ns('ticket-unknown'),
    scannedTwice: ns('ticket-scanned-twice'),
    conflicting: ns('ticket-conflicting'),
    conflictingX: ns('ticket-conflicting-x'),
    conflictingY: ns('ticket-conflicting-y'),
    unpublished: ns('ticket-unpublished'),
  };

  requested('request-checked-in', tickets.checkedIn, events.main, '2026-04-10T10:00:00.000Z');
  requested('request-no-show', tickets.noShow, events.main, '2026-04-10T10:01:00.000Z');
  // Moved: other, then main (newer); a request at main's instant for other loses on its id.
  requested('request-moved-1', tickets.moved, events.other, '2026-04-10T10:00:00.000Z');
  requested(
    'request-moved-2',
    tickets.moved,
    events.main,
    '2026-04-11T10:00:00.000Z',
    ns('del-moved-b'),
  );
  requested(
    'request-moved-3',
    tickets.moved,
    events.other,
    '2026-04-11T10:00:00.000Z',
    ns('del-moved-a'),
  );
  requested('request-wrong-event', tickets.wrongEvent, events.other, '2026-04-10T10:02:00.000Z');
  // Requested (by its own clock) after it was scanned.
  requested('request-late', tickets.late, events.main, '2026-05-05T20:00:00.000Z');
  requested('request-scanned-twice', tickets.scannedTwice, events.main, '2026-04-10T10:03:00Z');
  requested('request-conflicting', tickets.conflicting, events.main, '2026-04-10T10:04:00Z');
  requested('request-conflicting-x', tickets.conflictingX, events.other, '2026-04-10T10:05:00Z');
  requested('request-conflicting-y', tickets.conflictingY, events.other, '2026-04-10T10:06:00Z');
  requested('request-unpublished', tickets.unpublished, events.unpublished, '2026-04-10T11:00:00Z');

  const at = (minute: number) => `2026-05-05T19:${String(minute).padStart(2, '0')}:00.000Z`;
  const checkIns = {
    conflicting: ns('ci-conflicting'),
    conflictingTickets: ns('ci-conflicting-tickets'),
  };
  checkIn('check-in-checked-in', {
    checkInId: ns('ci-checked-in'),
    ticketId: tickets.checkedIn,
    eventId: events.main,
    at: at(1),
    gate: 'North',
  });
  checkIn('check-in-moved', {
    checkInId: ns('ci-moved'),
    ticketId: tickets.moved,
    eventId: events.main,
    at: at(2),
    gate: 'South',
  });
  checkIn('check-in-wrong-event', {
    checkInId: ns('ci-wrong-event'),
    ticketId: tickets.wrongEvent,
    eventId: events.main,
    at: at(3),
    gate: 'North',
  });
  checkIn('check-in-late', {
    checkInId: ns('ci-late'),
    ticketId: tickets.late,
    eventId: events.main,
    at: at(4),
    gate: 'South',
  });
  // No gate: counted under "unknown".
  checkIn('check-in-unknown-ticket', {
    checkInId: ns('ci-unknown'),
    ticketId: tickets.unknown,
    eventId: events.main,
    at: at(5),
  });
  checkIn('check-in-scanned-twice-1', {
    checkInId: ns('ci-twice-1'),
    ticketId: tickets.scannedTwice,
    eventId: events.main,
    at: at(6),
    gate: 'North',
  });
  checkIn('check-in-scanned-twice-2', {
    checkInId: ns('ci-twice-2'),
    ticketId: tickets.scannedTwice,
    eventId: events.main,
    at: at(40),
    gate: 'East',
  });
  // One check_in_id, two contents (other gate): the smaller canonical hash counts.
  checkIn('check-in-conflicting-north', {
    checkInId: checkIns.conflicting,
    ticketId: tickets.conflicting,
    eventId: events.main,
    at: at(7),
    gate: 'North',
  });
  checkIn('check-in-conflicting-south', {
    checkInId: checkIns.conflicting,
    ticketId: tickets.conflicting,
    eventId: events.main,
    at: at(7),
    gate: 'South',
  });
  // One check_in_id naming two tickets: only one of them got in.
  checkIn('check-in-conflicting-x', {
    checkInId: checkIns.conflictingTickets,
    ticketId: tickets.conflictingX,
    eventId: events.other,
    at: '2026-05-06T19:00:00.000Z',
    gate: 'West',
  });
  checkIn('check-in-conflicting-y', {
    checkInId: checkIns.conflictingTickets,
    ticketId: tickets.conflictingY,
    eventId: events.other,
    at: '2026-05-06T19:00:00.000Z',
    gate: 'West',
  });
  checkIn('check-in-unpublished', {
    checkInId: ns('ci-unpublished'),
    ticketId: tickets.unpublished,
    eventId: events.unpublished,
    at: '2026-05-07T19:00:00.000Z',
    gate: 'Gate 1',
  });

  // ---- LTD -------------------------------------------------------------------------------

  const performances = {
    main: int(661_132),
    disabled: int(661_133),
    scheduled: int(661_134),
    booked: int(661_135),
    reported: int(688_971),
    movedFrom: int(661_136),
    movedTo: int(661_137),
    kept: int(661_138),
  };
  const ltdEvent = int(3868);
  const barcodes = {
    e15: ns('23017425'),
    j7: ns('23017426'),
    k1: ns('23017427'),
    l1: ns('23017428'),
    shared: ns('00000015125182882200'),
    n41: ns('00000015125182882241'),
    unknownEticket: ns('00000015125182882242'),
    duplicated: ns('DUP-BARCODE'),
    pending: ns('PENDING-1'),
    cancelled1: ns('CANCELLED-1'),
    cancelled2: ns('CANCELLED-2'),
    releaseOnly: ns('RELEASE-ONLY-1'),
    switched: ns('SWITCHED-1'),
    moving: ns('MOVING-1'),
    staying: ns('MOVING-2'),
  };
  const bookings = {
    printAtHome: ns('CSK46133'),
    scheduled: ns('ABC01599'),
    pending: ns('PEND0001'),
    duplicate: ns('DUP00002'),
    cancelled: ns('CNX00001'),
    releaseOnly: ns('REL00001'),
    optIn: ns('XYZ12345'),
    switched: ns('SWT00001'),
    moving: ns('MOV00001'),
  };

  // LTD barcodes at a COPE gate: a live one, a cancelled one, and one barcode of three
  // seats scanned four times (one scan beyond its admissions).
  checkIn('check-in-ltd-barcode', {
    checkInId: ns('ci-ltd-j7'),
    ticketId: barcodes.j7,
    eventId: events.main,
    at: at(10),
    gate: 'North',
  });
  checkIn('check-in-ltd-cancelled-barcode', {
    checkInId: ns('ci-ltd-e15'),
    ticketId: barcodes.e15,
    eventId: events.main,
    at: at(11),
    gate: 'South',
  });
  for (const scan of [1, 2, 3, 4]) {
    checkIn(`check-in-shared-barcode-${String(scan)}`, {
      checkInId: ns(`ci-shared-${String(scan)}`),
      ticketId: barcodes.shared,
      eventId: events.main,
      at: at(11 + scan),
      gate: scan % 2 === 0 ? 'East' : 'North',
      scanner: ns(`scanner-${String(scan)}`),
    });
  }

  interface Seat {
    readonly seat: string;
    readonly barcode: string;
    readonly status: string;
    /** `Stalls` when left out; null sends no `AreaName`. */
    readonly area?: string | null;
    /** The transaction's performance when left out: seats on others go in orders of their own. */
    readonly performanceId?: number;
  }
  const transaction = (
    label: string,
    fields: {
      bookingReference: string;
      timestamp: string;
      deliveryType: string;
      performanceId: number;
      seats: readonly Seat[];
    },
  ) => {
    const example = copy(LTD_TRANSACTION_CHANGED_EXAMPLE);
    const payload = member(example, 'Payload');
    const order = firstOf(payload['Orders']);
    const ticket = firstOf(order['Tickets']);
    const byPerformance = new Map<number, Seat[]>();
    for (const seat of fields.seats) {
      const performanceId = seat.performanceId ?? fields.performanceId;
      byPerformance.set(performanceId, [...(byPerformance.get(performanceId) ?? []), seat]);
    }
    add(label, 'ltd', {
      ...example,
      Payload: {
        ...payload,
        BookingReference: fields.bookingReference,
        BasketId: `${fields.bookingReference}-basket`,
        DeliveryType: fields.deliveryType,
        TotalCount: fields.seats.length,
        TotalAmount: 84 * fields.seats.length,
        Orders: [...byPerformance].map(([performanceId, seats]) => ({
          ...order,
          EventId: ltdEvent,
          PerformanceId: performanceId,
          Tickets: seats.map((seat) => {
            const line: JsonObject = {
              ...ticket,
              SeatInfo: seat.seat,
              Barcode: seat.barcode,
              AreaName: seat.area ?? 'Stalls',
              Status: seat.status,
            };
            if (seat.area === null) delete line['AreaName'];
            return line;
          }),
          OrderStatus: seats.every((seat) => seat.status === 'Cancelled')
            ? 'Cancelled'
            : 'Purchased',
        })),
      },
      Timestamp: fields.timestamp,
    });
  };

  const release = (
    label: string,
    bookingReference: string,
    timestamp: string,
    lines: readonly { barcode: string; row: string; number: number }[],
  ) => {
    const example = copy(LTD_SCHEDULED_ETICKET_DELIVERY_EXAMPLE);
    const payload = member(example, 'Payload');
    const line = firstOf(payload['Tickets']);
    add(label, 'ltd', {
      ...example,
      Payload: {
        ...payload,
        BookingReference: bookingReference,
        Tickets: lines.map((ticket) => ({
          ...line,
          TicketName1: ticket.row,
          TicketName2: ticket.number,
          Barcode: ticket.barcode,
        })),
      },
      Timestamp: timestamp,
    });
  };

  const performance = (
    label: string,
    fields: {
      performanceId: number;
      timestamp: string;
      total: number;
      available: number;
      disabled?: boolean;
      hasOffer?: boolean;
    },
  ) => {
    const example = copy(LTD_PERFORMANCE_CHANGED_EXAMPLE);
    add(label, 'ltd', {
      ...example,
      Payload: {
        ...member(example, 'Payload'),
        EventId: ltdEvent,
        PerformanceId: fields.performanceId,
        TotalSeatsCount: fields.total,
        TotalAvailableTicketsCount: fields.available,
        HasOffer: fields.hasOffer ?? false,
        ...(fields.disabled === undefined ? {} : { IsDisabled: fields.disabled }),
      },
      Timestamp: fields.timestamp,
    });
  };

  const PRINT_AT_HOME = 'PrintAtHomeTickets';
  const SCHEDULED = 'ScheduledEtickets';
  const seat = (seatName: string, barcode: string, status = 'Purchased'): Seat => ({
    seat: seatName,
    barcode,
    status,
  });

  // Print-at-home: four snapshots. The oldest lists L1, which no newer one does (removed);
  // J7 is cancelled, then reinstated; K1 appears, then goes (removed); E15 ends cancelled.
  transaction('transaction-pah-0-oldest', {
    bookingReference: bookings.printAtHome,
    timestamp: '2024-03-04T08:00:00.1234567Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.main,
    seats: [
      seat('E15', barcodes.e15),
      seat('J7', barcodes.j7),
      seat('K1', barcodes.k1),
      seat('L1', barcodes.l1),
    ],
  });
  transaction('transaction-pah-1-seed', {
    bookingReference: bookings.printAtHome,
    timestamp: '2024-03-05T08:26:11.1451352Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.main,
    seats: [seat('E15', barcodes.e15), seat('J7', barcodes.j7, 'Cancelled')],
  });
  transaction('transaction-pah-2-reinstated', {
    bookingReference: bookings.printAtHome,
    timestamp: '2024-03-06T08:26:11.1451352Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.main,
    seats: [seat('E15', barcodes.e15), seat('J7', barcodes.j7), seat('K1', barcodes.k1)],
  });
  transaction('transaction-pah-3-newest', {
    bookingReference: bookings.printAtHome,
    timestamp: '2024-03-07T08:26:11.1451352Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.main,
    seats: [seat('E15', barcodes.e15, 'Cancelled'), seat('J7', barcodes.j7)],
  });

  // Scheduled e-tickets: three seats on one barcode (the seed's own example), and a
  // cancelled one; released once before the transaction's time and once after, with a
  // cancelled barcode and a barcode the transaction does not list.
  transaction('transaction-scheduled', {
    bookingReference: bookings.scheduled,
    timestamp: '2024-03-01T10:00:00Z',
    deliveryType: SCHEDULED,
    performanceId: performances.scheduled,
    seats: [
      seat('N40', barcodes.shared),
      seat('N39', barcodes.shared),
      seat('N38', barcodes.shared),
      seat('N41', barcodes.n41, 'Cancelled'),
    ],
  });
  release('release-scheduled-early', bookings.scheduled, '2024-02-28T10:00:00.5Z', [
    { barcode: barcodes.shared, row: 'N', number: 40 },
  ]);
  release('release-scheduled', bookings.scheduled, '2024-03-05T08:26:11.1451352Z', [
    { barcode: barcodes.shared, row: 'N', number: 40 },
    { barcode: barcodes.shared, row: 'N', number: 39 },
    { barcode: barcodes.shared, row: 'N', number: 38 },
    { barcode: barcodes.n41, row: 'N', number: 41 },
    { barcode: barcodes.unknownEticket, row: 'N', number: 42 },
  ]);

  // Scheduled, never released: pending; on a performance LTD reports disabled; shares a
  // barcode with another booking.
  transaction('transaction-pending', {
    bookingReference: bookings.pending,
    timestamp: '2024-03-02T10:00:00Z',
    deliveryType: SCHEDULED,
    performanceId: performances.disabled,
    seats: [seat('A1', barcodes.pending), seat('A2', barcodes.duplicated)],
  });
  transaction('transaction-duplicate', {
    bookingReference: bookings.duplicate,
    timestamp: '2024-03-02T11:00:00Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.booked,
    seats: [seat('B7', barcodes.duplicated)],
  });
  transaction('transaction-cancelled', {
    bookingReference: bookings.cancelled,
    timestamp: '2024-03-03T10:00:00Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.main,
    seats: [
      seat('C1', barcodes.cancelled1, 'Cancelled'),
      seat('C2', barcodes.cancelled2, 'Cancelled'),
    ],
  });
  // Delivery type changes: the newest transaction's counts.
  transaction('transaction-switched-old', {
    bookingReference: bookings.switched,
    timestamp: '2024-03-03T11:00:00Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.reported,
    seats: [seat('S1', barcodes.switched)],
  });
  transaction('transaction-switched-new', {
    bookingReference: bookings.switched,
    timestamp: '2024-03-03T12:00:00Z',
    deliveryType: SCHEDULED,
    performanceId: performances.reported,
    seats: [seat('S1', barcodes.switched)],
  });
  // A ticket moved to another performance and area, then dropped; the other seat loses
  // its area. Each ticket ends with its newest listing's performance and area whatever the
  // arrival order, and every performance any transaction names is known.
  transaction('transaction-moving-1-oldest', {
    bookingReference: bookings.moving,
    timestamp: '2024-03-08T10:00:00.1234567Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.kept,
    seats: [
      { ...seat('M1', barcodes.moving), performanceId: performances.movedFrom, area: 'Stalls' },
      { ...seat('M2', barcodes.staying), area: 'Upper Circle' },
    ],
  });
  transaction('transaction-moving-2-moved', {
    bookingReference: bookings.moving,
    timestamp: '2024-03-08T11:00:00Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.kept,
    seats: [
      { ...seat('M1', barcodes.moving), performanceId: performances.movedTo, area: 'Dress Circle' },
      { ...seat('M2', barcodes.staying), area: null },
    ],
  });
  transaction('transaction-moving-3-dropped', {
    bookingReference: bookings.moving,
    timestamp: '2024-03-08T12:00:00Z',
    deliveryType: PRINT_AT_HOME,
    performanceId: performances.kept,
    seats: [{ ...seat('M2', barcodes.staying), area: null }],
  });
  release('release-only', bookings.releaseOnly, '2024-03-05T09:00:00Z', [
    { barcode: barcodes.releaseOnly, row: 'R', number: 1 },
  ]);

  // Availability: newer and older reports; a disabled performance; the seed's own.
  performance('performance-main-old', {
    performanceId: performances.main,
    timestamp: '2024-05-13T08:26:11.1451352Z',
    total: 1000,
    available: 500,
  });
  performance('performance-main', {
    performanceId: performances.main,
    timestamp: '2024-05-14T08:26:11.1451352Z',
    total: 1000,
    available: 1000,
    hasOffer: true,
  });
  performance('performance-disabled-old', {
    performanceId: performances.disabled,
    timestamp: '2024-05-13T08:00:00Z',
    total: 200,
    available: 190,
    disabled: false,
  });
  performance('performance-disabled', {
    performanceId: performances.disabled,
    timestamp: '2024-05-14T08:00:00Z',
    total: 200,
    available: 150,
    disabled: true,
  });
  // Two reports at one instant: the greater canonical hash of the payload wins.
  performance('performance-reported-a', {
    performanceId: performances.reported,
    timestamp: '2024-05-14T08:26:11.1451352Z',
    total: 1000,
    available: 900,
  });
  performance('performance-reported-b', {
    performanceId: performances.reported,
    timestamp: '2024-05-14T08:26:11.1451352Z',
    total: 1000,
    available: 850,
  });

  // Shows (no read model answers for them; accepted all the same, older one superseded).
  const eventChanged = (label: string, timestamp: string, name: string) => {
    const example = copy(LTD_EVENT_CHANGED_EXAMPLE);
    add(label, 'ltd', {
      ...example,
      Payload: { ...member(example, 'Payload'), EventId: ltdEvent, EventName: name },
      Timestamp: timestamp,
    });
  };
  eventChanged('event-changed', '2024-05-14T08:26:11.1451352Z', 'Frozen The Musical');
  eventChanged('event-changed-old', '2024-05-01T08:00:00Z', 'Frozen');

  // Opt-ins: one naming a booking nothing else names, one without a booking.
  const optIn = (label: string, email: string, bookingReference: string | null) => {
    const example = copy(LTD_AFFILIATE_OPT_IN_EXAMPLE);
    const payload = member(example, 'Payload');
    const { Booking: booking, ...rest } = payload;
    add(label, 'ltd', {
      ...example,
      Payload: {
        ...rest,
        Customer: { ...member(payload, 'Customer'), Email: email },
        ...(bookingReference === null || booking === undefined
          ? {}
          : {
              Booking: {
                ...member(payload, 'Booking'),
                BookingReference: bookingReference,
              },
            }),
      },
    });
  };
  optIn('opt-in-with-booking', `${ns('buyer')}@example.com`, bookings.optIn);
  optIn('opt-in-without-booking', `${ns('subscriber')}@example.com`, null);

  // ---- Ingresse --------------------------------------------------------------------------

  const ingresse = {
    event: int(24_724),
    group: int(346_868),
    ownBeatsEmbedded: int(408_218),
    embeddedNewer: int(346_869),
    archivedGroup: int(500_001),
    childOfArchivedGroup: int(500_002),
    solo: int(500_003),
    archivedSolo: int(500_004),
  };
  const groupExample = copy(INGRESSE_TICKET_GROUP_EXAMPLE);
  const groupData = member(groupExample, 'data');
  const groupChildren = groupData['children'];
  if (!Array.isArray(groupChildren)) throw new Error('the seed group has no children');
  const [childPista, childCamarote] = groupChildren.map((child) => copy(child));
  if (!childPista || !childCamarote) throw new Error('the seed group has two children');
  const ticketExample = copy(INGRESSE_TICKET_TYPE_EXAMPLE);
  const ticketData = member(ticketExample, 'data');

  const T0 = '2018-04-02T13:57:04.770619';
  const ticketType = (label: string, timestamp: string, data: JsonObject) => {
    add(label, 'ingresse', { ...ticketExample, data, timestamp });
  };
  const group = (label: string, timestamp: string, data: JsonObject) => {
    add(label, 'ingresse', { ...groupExample, data, timestamp });
  };
  const child = (source: JsonObject, fields: JsonObject): JsonObject => ({
    ...source,
    eventId: ingresse.event,
    ...fields,
  });

  group('ingresse-group', T0, {
    ...groupData,
    id: ingresse.group,
    eventId: ingresse.event,
    children: [
      child(childPista, { id: ingresse.ownBeatsEmbedded, parent: ingresse.group }),
      child(childCamarote, { id: ingresse.embeddedNewer, parent: ingresse.group }),
    ],
  });
  // Its own webhook at the group's very timestamp, other quantity: the own one wins.
  ticketType('ingresse-ticket-own-same-time', T0, {
    ...ticketData,
    id: ingresse.ownBeatsEmbedded,
    eventId: ingresse.event,
    parent: ingresse.group,
    quantity: 150,
  });
  // Its own webhook, older than the group's newer webhook that archives it.
  ticketType('ingresse-ticket-own-older', '2018-04-02T13:50:00.000000', {
    ...child(childCamarote, { id: ingresse.embeddedNewer, parent: ingresse.group }),
    name: 'Camarote (old)',
    quantity: 80,
    quantityDiff: 0,
  });
  group('ingresse-group-newer', '2018-04-02T14:10:00.5', {
    ...groupData,
    id: ingresse.group,
    eventId: ingresse.event,
    name: 'Grupo de Ingressos (revisado)',
    children: [
      child(childCamarote, {
        id: ingresse.embeddedNewer,
        parent: ingresse.group,
        archived: true,
      }),
    ],
  });
  group('ingresse-group-older', '2018-04-01T00:00:00', {
    ...groupData,
    id: ingresse.group,
    eventId: ingresse.event,
    quantity: 5,
    children: [
      child(childPista, { id: ingresse.ownBeatsEmbedded, parent: ingresse.group, quantity: 1 }),
    ],
  });
  // An archived group counts nothing, nor do its children.
  group('ingresse-archived-group', T0, {
    ...groupData,
    id: ingresse.archivedGroup,
    eventId: ingresse.event,
    name: 'Grupo arquivado',
    quantity: 300,
    archived: true,
    children: [
      child(childCamarote, {
        id: ingresse.childOfArchivedGroup,
        parent: ingresse.archivedGroup,
        quantity: 40,
      }),
    ],
  });
  ticketType('ingresse-solo', T0, {
    ...ticketData,
    id: ingresse.solo,
    eventId: ingresse.event,
    name: 'Meia-entrada',
    parent: null,
    quantity: 30,
  });
  ticketType('ingresse-solo-archived', T0, {
    ...ticketData,
    id: ingresse.archivedSolo,
    eventId: ingresse.event,
    name: 'Lote antigo',
    parent: null,
    quantity: 999,
    archived: true,
  });

  const names: CorpusNames = {
    events,
    tickets,
    checkIns,
    barcodes,
    bookings,
    performances,
    ltdEvent,
    ingresse,
    unknownTicket: ns('never-issued-never-scanned'),
    unknownBooking: ns('NOBOOKING'),
    unknownPerformance: int(999_999),
  };
  return {
    deliveries,
    names,
    ids: {
      copeEvents: [...Object.values(events), ns('show-nobody-mentions')],
      ticketCodes: [...Object.values(tickets), ...Object.values(barcodes), names.unknownTicket],
      copeTickets: [...Object.values(tickets), names.unknownTicket],
      ltdBookings: [...Object.values(bookings), names.unknownBooking],
      ltdPerformances: [...Object.values(performances), names.unknownPerformance],
      ingresseEvents: [ingresse.event, int(999_998)],
    },
  };
}
