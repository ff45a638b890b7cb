import { performance } from 'node:perf_hooks';
import {
  bookingDecider,
  foldEvents,
  normaliseSenderTime,
  type BookingCommand,
  type BookingState,
  type Decider,
  type LedgerEvent,
  type PerformanceAvailabilityReported,
  type TicketTypeReported,
  type TransactionTicket,
} from '#ledger';
import {
  givenEvents,
  ltdTransaction,
  permutations,
  recordedEvent,
  seededRandom,
  shuffledBatches,
} from '#testing';
import { inventoryProjection } from './inventory.projection.js';
import { InventoryQueries } from './inventory.queries.js';

// Builders ------------------------------------------------------------------------

const T1 = '2024-03-05T08:26:11.1451352Z';
const T2 = '2024-03-05T09:00:00Z';
const T3 = '2024-03-05T10:00:00+01:00'; // = T2 in UTC
const T4 = '2024-03-05T11:00:00Z';

function published(eventId: string, at: string, capacity: number, hash = `p-${at}`): LedgerEvent {
  return {
    type: 'CopeEventPublished',
    data: {
      eventId,
      title: `Show ${eventId}`,
      capacity,
      startsAt: '2024-04-01T19:00:00Z',
      endsAt: '2024-04-01T22:00:00Z',
      timezone: 'Europe/London',
      eventProductIds: [],
      occurredAt: at,
      senderTime: normaliseSenderTime(at),
      hash,
    },
  };
}

function request(
  ticketId: string,
  ticketDeliveryId: string,
  eventId: string,
  requestedAt = T1,
): LedgerEvent {
  return {
    type: 'TicketDeliveryRequested',
    data: {
      ticketId,
      ticketDeliveryId,
      eventId,
      eventProductId: 'P1',
      deliveryKind: 'email',
      recipient: 'ada@example.com',
      requestedAt,
      occurredAt: requestedAt,
      attendee: {},
    },
  };
}

function checkIn(
  ticketId: string,
  eventId: string,
  checkInId = `C-${ticketId}`,
  contentHash = `hash-${checkInId}`,
): LedgerEvent {
  return {
    type: 'TicketCheckedIn',
    data: {
      gate: null,
      deviceId: null,
      ticketId,
      checkInId,
      eventId,
      eventProductId: 'P1',
      checkedInAt: T2,
      occurredAt: T2,
      scannerSessionId: 'S1',
      attendee: {},
      contentHash,
    },
  };
}

function report(
  performanceId: number,
  at: string,
  totalSeats: number,
  availableSeats: number,
  overrides: Partial<PerformanceAvailabilityReported> = {},
): LedgerEvent {
  return {
    type: 'PerformanceAvailabilityReported',
    data: {
      performanceId,
      eventId: 3868,
      totalSeats,
      availableSeats,
      disabled: false,
      hasOffer: true,
      performanceDateTime: '2024-03-17T13:00:00',
      reportedAt: at,
      senderTime: normaliseSenderTime(at),
      hash: `r-${String(performanceId)}-${at}-${String(availableSeats)}`,
      ...overrides,
    },
  };
}

const seat = (
  barcode: string,
  performanceId = 661132,
  status = 'Purchased',
): TransactionTicket => ({
  barcode,
  seat: `S${barcode}`,
  performanceId,
  eventId: 3868,
  area: 'Stalls',
  status,
});

/** The events a booking stream records when its webhooks arrive in this order. */
function arrive(...commands: BookingCommand[]): LedgerEvent[] {
  const decider = bookingDecider as Decider<unknown, BookingState>;
  let state = decider.initialState;
  const recorded: LedgerEvent[] = [];
  for (const command of commands) {
    const events = decider.decide(command, state);
    state = foldEvents(decider, events, state);
    recorded.push(...events);
  }
  return recorded;
}

function ticketType(
  id: number,
  overrides: Partial<TicketTypeReported> & { at?: string } = {},
): LedgerEvent {
  const { at = T1, ...rest } = overrides;
  return {
    type: 'TicketTypeReported',
    data: {
      id,
      eventId: 77,
      name: `Type ${String(id)}`,
      type: 'Ticket',
      parentId: null,
      quantity: 10,
      price: 50,
      finalPrice: 55,
      available: true,
      hidden: false,
      archived: false,
      salable: true,
      eventDates: [{ id: 1, date: '2024-05-01' }],
      reportedAt: at,
      source: 'own',
      senderTime: normaliseSenderTime(at),
      hash: `tt-${String(id)}-${at}-${String(rest.quantity ?? 10)}`,
      ...rest,
    },
  };
}

function queries(...batches: LedgerEvent[][]): InventoryQueries {
  const scenario = givenEvents(inventoryProjection);
  for (const batch of batches) scenario.when(...batch);
  return new InventoryQueries(scenario.db, scenario.table);
}

/** A seeded generator, so that a failing order can be replayed. */

// COPE ----------------------------------------------------------------------------

describe('inventory projection — COPE', () => {
  it('counts issued tickets and checked-in codes against the newest capacity', () => {
    const read = queries([
      published('E1', T4, 3),
      published('E1', T1, 100),
      request('TK1', 'D1', 'E1'),
      request('TK1', 'D2', 'E1', T2),
      request('TK2', 'D3', 'E1'),
      checkIn('TK1', 'E1', 'C1'),
      checkIn('TK1', 'E1', 'C2'),
      checkIn('UNKNOWN', 'E1'),
    ]);

    expect(read.cope('E1')).toEqual({
      eventId: 'E1',
      capacity: 3,
      issued: 2,
      checkedIn: 2,
      remaining: 1,
      oversold: false,
    });
  });

  it('takes the newest published snapshot whichever arrives first, equal times by hash', () => {
    const low = published('E1', T2, 10, 'aaa');
    const high = published('E1', T3, 20, 'bbb');

    expect(queries([low], [high]).cope('E1')?.capacity).toBe(20);
    expect(queries([high], [low]).cope('E1')?.capacity).toBe(20);
  });

  it('is oversold with a negative remaining when more tickets are issued than capacity', () => {
    const read = queries([
      published('E1', T1, 1),
      request('TK1', 'D1', 'E1'),
      request('TK2', 'D2', 'E1'),
    ]);

    expect(read.cope('E1')).toMatchObject({ issued: 2, remaining: -1, oversold: true });
  });

  it('moves a ticket to the event of its newest request, whatever order requests arrive in', () => {
    const older = request('TK1', 'D1', 'E1', T1);
    const newer = request('TK1', 'D2', 'E2', T4);

    for (const batches of [[[older], [newer]], [[newer], [older]], [[older, newer]]]) {
      const read = queries(...batches);
      expect(read.cope('E1')).toMatchObject({ issued: 0 });
      expect(read.cope('E2')).toMatchObject({ issued: 1 });
    }
  });

  it('given one check-in delivered with two contents naming two tickets, then only the copy with the smaller hash counts, whatever the order', () => {
    const low = checkIn('TK1', 'E1', 'C1', 'aaa');
    const high = checkIn('TK2', 'E2', 'C1', 'bbb');

    for (const batches of [[[low], [high]], [[high], [low]], [[high, low]]]) {
      const read = queries(...batches);
      expect([read.cope('E1')?.checkedIn, read.cope('E2')?.checkedIn]).toEqual([1, 0]);
    }
  });

  it('given check-ins but no event.published, then capacity is null and nothing is oversold', () => {
    expect(queries([checkIn('TK1', 'E9')]).cope('E9')).toEqual({
      eventId: 'E9',
      capacity: null,
      issued: 0,
      checkedIn: 1,
      remaining: null,
      oversold: false,
    });
  });

  it('answers undefined for an event no fact mentions', () => {
    expect(queries([published('E1', T1, 10)]).cope('E2')).toBeUndefined();
  });
});

// LTD -----------------------------------------------------------------------------

describe('inventory projection — LTD', () => {
  it('reports the newest PerformanceChanged beside this vendor’s seats', () => {
    const read = queries(
      [report(661132, T1, 100, 40)],
      arrive(ltdTransaction('B1', T1, [seat('1'), seat('2'), seat('3', 661132, 'Cancelled')])),
    );

    expect(read.ltd(661132)).toEqual({
      performanceId: 661132,
      eventId: 3868,
      totalSeats: 100,
      availableSeats: 40,
      unavailableSeats: 60,
      affiliateIssued: 2,
      affiliateCancelled: 1,
      disabled: false,
      hasOffer: true,
      reportedAt: T1,
      discrepancies: [],
    });
  });

  it('given a ticket moved to another performance by a newer transaction, then it counts there whatever the arrival order', () => {
    const older = ltdTransaction('B1', T1, [seat('1', 5)]);
    const newer = ltdTransaction('B1', T2, [seat('1', 6)]);

    for (const events of [arrive(older, newer), arrive(newer, older)]) {
      const read = queries(events);
      expect(read.ltd(6)).toMatchObject({ affiliateIssued: 1, affiliateCancelled: 0 });
      expect(read.ltd(5)?.affiliateIssued ?? 0).toBe(0);
    }
  });

  it('given a ticket moved to another performance, then dropped, then every performance answers the same in all 6 orders', () => {
    const line = (barcode: string, performanceId: number, eventId: number) => ({
      ...seat(barcode, performanceId),
      eventId,
    });
    const snapshots = [
      ltdTransaction('B1', T1, [line('X', 1, 10), line('Y', 3, 30)]),
      ltdTransaction('B1', T2, [line('X', 2, 20), line('Y', 3, 31)]),
      ltdTransaction('B1', T4, [line('Y', 3, 32)]),
    ];

    const answers = permutations(snapshots).map((order) => {
      const read = queries(arrive(...order));
      return [1, 2, 3].map((performanceId) => read.ltd(performanceId));
    });

    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject([
      // Named by the oldest transaction only: known, with nothing on it.
      { performanceId: 1, eventId: 10, affiliateIssued: 0, affiliateCancelled: 0 },
      // X's newest listing puts it here, and the newest transaction drops it.
      { performanceId: 2, eventId: 20, affiliateIssued: 0, affiliateCancelled: 1 },
      // The smallest EventId any transaction gives the performance.
      { performanceId: 3, eventId: 30, affiliateIssued: 1, affiliateCancelled: 0 },
    ]);
  });

  it('given events stored before transactions named their performances, then tickets still make them known', () => {
    const stored = arrive(ltdTransaction('B1', T1, [seat('1', 5)])).map((event) => {
      if (event.type !== 'BookingSnapshotApplied') return event;
      const { performances: _performances, ...data } = event.data;
      return { ...event, data };
    });

    expect(queries(stored).ltd(5)).toMatchObject({ eventId: 3868, affiliateIssued: 1 });
  });

  it('given a performance known only from bookings, then the reported figures are null', () => {
    const read = queries(arrive(ltdTransaction('B1', T1, [seat('1', 5)])));

    expect(read.ltd(5)).toEqual({
      performanceId: 5,
      eventId: 3868,
      totalSeats: null,
      availableSeats: null,
      unavailableSeats: null,
      affiliateIssued: 1,
      affiliateCancelled: 0,
      disabled: null,
      hasOffer: null,
      reportedAt: null,
      discrepancies: [],
    });
  });

  it('given bookings before the PerformanceChanged, then the discrepancy opens when it arrives', () => {
    const scenario = givenEvents(
      inventoryProjection,
      ...arrive(ltdTransaction('B1', T1, [seat('1'), seat('2'), seat('3')])),
    );
    const read = new InventoryQueries(scenario.db, scenario.table);
    expect(read.ltd(661132)?.discrepancies).toEqual([]);

    scenario.when(report(661132, T2, 10, 8));

    expect(read.ltd(661132)?.discrepancies).toEqual([
      {
        id: expect.any(String) as unknown,
        type: 'affiliate_exceeds_unavailable',
        provider: 'ltd',
        eventId: '3868',
        performanceId: 661132,
        detail:
          '3 seats issued through this vendor, but LTD reports only 2 unavailable (10 total, 8 available)',
        since: T2,
      },
    ]);
    expect(read.discrepancies({ eventId: '3868', limit: 10 }).items).toHaveLength(1);
  });

  it('ignores a PerformanceChanged older than the applied one', () => {
    const read = queries([report(661132, T4, 10, 2)], [report(661132, T1, 10, 9)]);

    expect(read.ltd(661132)).toMatchObject({ availableSeats: 2, reportedAt: T4 });
  });

  it('orders equal PerformanceChanged times by hash, in either order', () => {
    const a = report(661132, T2, 10, 3, { hash: 'aaa' });
    const b = report(661132, T3, 10, 4, { hash: 'bbb' });

    expect(queries([a], [b]).ltd(661132)?.availableSeats).toBe(4);
    expect(queries([b], [a]).ltd(661132)?.availableSeats).toBe(4);
  });

  it('flags bookings on a disabled performance, and drops it when re-enabled', () => {
    const scenario = givenEvents(
      inventoryProjection,
      report(661132, T1, 100, 50, { disabled: true }),
      ...arrive(ltdTransaction('B1', T1, [seat('1')])),
    );
    const read = new InventoryQueries(scenario.db, scenario.table);

    expect(read.ltd(661132)?.discrepancies).toEqual([
      expect.objectContaining({
        type: 'booking_on_disabled_performance',
        performanceId: 661132,
        since: T1,
      }),
    ]);

    scenario.when(report(661132, T4, 100, 50, { disabled: false }));
    expect(read.ltd(661132)?.discrepancies).toEqual([]);
    expect(read.discrepancies({ limit: 10 }).items).toEqual([]);
  });

  it('moves the counters when a newer transaction cancels tickets, and closes the discrepancy', () => {
    const first = arrive(ltdTransaction('B1', T1, [seat('1'), seat('2')]));
    const scenario = givenEvents(inventoryProjection, report(661132, T1, 10, 9), ...first);
    const read = new InventoryQueries(scenario.db, scenario.table);
    expect(read.ltd(661132)?.discrepancies).toHaveLength(1);

    scenario.when(
      ...arrive(
        ltdTransaction('B1', T1, [seat('1'), seat('2')]),
        ltdTransaction('B1', T2, [seat('1', 661132, 'Cancelled')]),
      ).slice(first.length),
    );

    expect(read.ltd(661132)).toMatchObject({
      affiliateIssued: 0,
      affiliateCancelled: 2,
      discrepancies: [],
    });
  });

  it('answers undefined for a performance no fact mentions', () => {
    expect(queries([report(1, T1, 10, 5)]).ltd(2)).toBeUndefined();
  });
});

// Ingresse ------------------------------------------------------------------------

describe('inventory projection — Ingresse', () => {
  it('totals each group as the smaller of its quantity and its live children, plus lone tickets', () => {
    const read = queries([
      ticketType(1, { type: 'Group', quantity: 25 }),
      ticketType(2, { parentId: 1, quantity: 10 }),
      ticketType(3, { parentId: 1, quantity: 10 }),
      ticketType(4, { parentId: 1, quantity: 50, archived: true }),
      ticketType(5, { type: 'Group', quantity: 100 }),
      ticketType(6, { parentId: 5, quantity: 30 }),
      ticketType(7, { type: 'Group', quantity: 100, archived: true }),
      ticketType(8, { parentId: 7, quantity: 30 }),
      ticketType(9, { quantity: 7 }),
      ticketType(10, { quantity: 1000, archived: true }),
    ]);

    // Group 1: min(25, 20) = 20; group 5: min(100, 30) = 30; group 7 archived; 9 alone: 7.
    expect(read.ingresse(77)?.totalQuantity).toBe(57);
    expect(read.ingresse(77)?.ticketTypes).toHaveLength(10);
    expect(read.ingresse(77)?.ticketTypes[0]).toEqual({
      id: 1,
      name: 'Type 1',
      type: 'Group',
      parentId: null,
      quantity: 25,
      price: 50,
      finalPrice: 55,
      available: true,
      hidden: false,
      archived: false,
      salable: true,
      eventDates: [{ id: 1, date: '2024-05-01' }],
      reportedAt: T1,
    });
  });

  it('counts a child alone until its group is reported, then within the group', () => {
    const scenario = givenEvents(inventoryProjection, ticketType(2, { parentId: 1, quantity: 10 }));
    const read = new InventoryQueries(scenario.db, scenario.table);
    expect(read.ingresse(77)?.totalQuantity).toBe(10);

    scenario.when(ticketType(1, { type: 'Group', quantity: 4 }));
    expect(read.ingresse(77)?.totalQuantity).toBe(4);
  });

  it('given a child’s own webhook and an embedded copy at the same time, the own one wins in both orders', () => {
    const own = ticketType(2, { parentId: 1, quantity: 10, source: 'own', hash: 'aaa' });
    const embedded = ticketType(2, { parentId: 1, quantity: 99, source: 'embedded', hash: 'zzz' });
    const group = ticketType(1, { type: 'Group', quantity: 1000 });

    for (const batches of [
      [[group, own], [embedded]],
      [[group, embedded], [own]],
      [[own, embedded, group]],
    ]) {
      const read = queries(...batches);
      expect(read.ingresse(77)?.totalQuantity).toBe(10);
      expect(read.ingresse(77)?.ticketTypes.find((type) => type.id === 2)?.quantity).toBe(10);
    }
  });

  it('given a newer embedded copy than the child’s own webhook, the newer wins in both orders', () => {
    const own = ticketType(2, { parentId: 1, quantity: 10, at: T1 });
    const embedded = ticketType(2, { parentId: 1, quantity: 15, source: 'embedded', at: T4 });
    const group = ticketType(1, { type: 'Group', quantity: 1000, at: T4 });

    for (const batches of [
      [[group, own], [embedded]],
      [[group, embedded], [own]],
    ]) {
      const read = queries(...batches);
      expect(read.ingresse(77)?.totalQuantity).toBe(15);
      expect(read.ingresse(77)?.ticketTypes.find((type) => type.id === 2)).toMatchObject({
        quantity: 15,
        reportedAt: T4,
      });
    }
  });

  it('given a newer own webhook than an embedded copy, the own wins in both orders', () => {
    const own = ticketType(2, { parentId: 1, quantity: 12, at: T4 });
    const embedded = ticketType(2, { parentId: 1, quantity: 15, source: 'embedded', at: T1 });

    expect(queries([own], [embedded]).ingresse(77)?.totalQuantity).toBe(12);
    expect(queries([embedded], [own]).ingresse(77)?.totalQuantity).toBe(12);
  });

  it('follows a child archived, moved to another group, or moved out of its group', () => {
    const scenario = givenEvents(
      inventoryProjection,
      ticketType(1, { type: 'Group', quantity: 100 }),
      ticketType(5, { type: 'Group', quantity: 100 }),
      ticketType(2, { parentId: 1, quantity: 10 }),
      ticketType(3, { parentId: 1, quantity: 20 }),
    );
    const read = new InventoryQueries(scenario.db, scenario.table);
    expect(read.ingresse(77)?.totalQuantity).toBe(30);

    scenario.when(ticketType(3, { parentId: 1, quantity: 20, archived: true, at: T2 }));
    expect(read.ingresse(77)?.totalQuantity).toBe(10);

    scenario.when(ticketType(2, { parentId: 5, quantity: 10, at: T2 }));
    expect(read.ingresse(77)?.totalQuantity).toBe(10);

    scenario.when(ticketType(2, { parentId: null, quantity: 10, at: T4 }));
    expect(read.ingresse(77)?.totalQuantity).toBe(10);

    scenario.when(ticketType(5, { type: 'Group', quantity: 100, archived: true, at: T4 }));
    expect(read.ingresse(77)?.totalQuantity).toBe(10);

    scenario.when(
      ticketType(2, { eventId: 78, parentId: null, quantity: 10, at: '2024-03-06T00:00:00Z' }),
    );
    expect(read.ingresse(77)).toMatchObject({ totalQuantity: 0 });
    expect(read.ingresse(78)).toMatchObject({ totalQuantity: 10 });
  });

  it('answers undefined for an event no ticket type names', () => {
    expect(queries([ticketType(1)]).ingresse(78)).toBeUndefined();
  });
});

// Failure ---------------------------------------------------------------------------

describe('inventory projection — a batch rolled back', () => {
  it('leaves no pending work behind for the next batch', () => {
    const scenario = givenEvents(inventoryProjection);
    const broken = ticketType(1, { eventDates: undefined as unknown as [] });

    expect(() => scenario.when(request('TK1', 'D1', 'E1'), broken)).toThrow();
    scenario.when(checkIn('TK2', 'E1'));

    expect(new InventoryQueries(scenario.db, scenario.table).cope('E1')).toMatchObject({
      issued: 0,
      checkedIn: 1,
    });
  });
});

// Order-insensitivity ---------------------------------------------------------------

describe('inventory projection — order', () => {
  function dump(read: InventoryQueries) {
    return {
      cope: ['E1', 'E2', 'E3'].map((id) => read.cope(id)),
      ltd: [661132, 2, 3].map((id) => read.ltd(id)),
      ingresse: [77, 78].map((id) => read.ingresse(id)),
      discrepancies: read.discrepancies({ limit: 100 }),
    };
  }

  it('reaches the same answers in random orders and batch splits', () => {
    const bookings: BookingCommand[][] = [
      [
        ltdTransaction('B1', T1, [seat('1'), seat('2'), seat('3')]),
        ltdTransaction('B1', T2, [seat('1'), seat('2', 661132, 'Cancelled'), seat('4', 2)]),
        ltdTransaction('B1', T3, [seat('1'), seat('5', 2)]),
      ],
      [
        ltdTransaction('B2', T1, [seat('7', 3)]),
        ltdTransaction('B2', T4, [seat('7', 3), seat('8', 3, 'Cancelled')]),
      ],
    ];
    const facts: LedgerEvent[] = [
      published('E1', T1, 2),
      published('E1', T4, 3),
      request('TK1', 'D1', 'E1'),
      request('TK1', 'D2', 'E2', T2),
      request('TK2', 'D3', 'E1'),
      request('TK3', 'D4', 'E1'),
      request('TK4', 'D5', 'E1'),
      checkIn('TK1', 'E1'),
      checkIn('TK1', 'E1', 'again'),
      checkIn('X', 'E3'),
      report(661132, T1, 10, 9),
      report(661132, T4, 10, 8),
      report(2, T2, 50, 49, { disabled: true }),
      ticketType(1, { type: 'Group', quantity: 25 }),
      ticketType(2, { parentId: 1, quantity: 10 }),
      ticketType(2, { parentId: 1, quantity: 30, source: 'embedded', hash: 'zzz' }),
      ticketType(3, { parentId: 1, quantity: 10, at: T2 }),
      ticketType(3, { parentId: 1, quantity: 1, source: 'embedded' }),
      ticketType(4, { quantity: 5 }),
      ticketType(4, { quantity: 6, eventId: 78, at: T2 }),
      ticketType(6, { parentId: 9, quantity: 3 }),
    ];
    const next = seededRandom(661132);
    const answers = Array.from({ length: 30 }, () => {
      const streams = [
        ...bookings.map((commands) => arrive(...[...commands].sort(() => next() - 0.5))),
        ...facts.map((event) => [event]),
      ];
      return dump(queries(...shuffledBatches(streams, next)));
    });

    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({
      cope: [
        { capacity: 3, issued: 3, checkedIn: 1, remaining: 0, oversold: false },
        { capacity: null, issued: 1, checkedIn: 0 },
        { checkedIn: 1 },
      ],
      ltd: [
        { affiliateIssued: 1, affiliateCancelled: 2, unavailableSeats: 2 },
        { affiliateIssued: 1, affiliateCancelled: 1, disabled: true },
        { affiliateIssued: 1, affiliateCancelled: 1, totalSeats: null },
      ],
      ingresse: [{ totalQuantity: 23 }, { totalQuantity: 6 }],
    });
    expect(answers[0]?.discrepancies.items.map((item) => item.type)).toEqual([
      'booking_on_disabled_performance',
    ]);
  });
});

// Cost ----------------------------------------------------------------------------

describe('inventory projection — cost', () => {
  it('prints the cost of apply() per event (measured, not asserted)', () => {
    const events: LedgerEvent[] = [];
    for (let index = 0; index < 2000; index += 1) {
      const id = String(index);
      const event = `E${String(index % 50)}`;
      events.push(
        request(`TK${id}`, `D${id}`, event),
        checkIn(`TK${id}`, event),
        ...arrive(
          ltdTransaction(`B${id}`, T1, [seat(`${id}-1`, index % 40), seat(`${id}-2`, index % 40)]),
          ltdTransaction(`B${id}`, T2, [seat(`${id}-1`, index % 40, 'Cancelled')]),
        ),
        ticketType(index, {
          parentId: index % 10 === 0 ? null : index - (index % 10),
          type: index % 10 === 0 ? 'Group' : 'Ticket',
        }),
      );
      if (index % 40 === 0) events.push(report(index % 40, T1, 100, 50));
      if (index % 50 === 0) events.push(published(event, T1, 100));
    }
    // Recorded beforehand, so that only the runner's work (filter, transaction, apply) is timed.
    const recorded = events.map((event, index) => recordedEvent(event, index + 1));
    const scenario = givenEvents(inventoryProjection);
    const started = performance.now();
    for (let start = 0; start < recorded.length; start += 500) {
      scenario.when(...recorded.slice(start, start + 500));
    }
    const elapsed = performance.now() - started;
    const read = new InventoryQueries(scenario.db, scenario.table);
    const queryStarted = performance.now();
    for (let index = 0; index < 2000; index += 1) {
      read.cope(`E${String(index % 50)}`);
      read.ltd(index % 40);
    }
    const queryElapsed = performance.now() - queryStarted;
    console.log(
      `inventory apply(): ${String(events.length)} events in batches of 500, ` +
        `${((elapsed * 1000) / events.length).toFixed(1)} µs/event ` +
        `(${Math.round(events.length / (elapsed / 1000)).toLocaleString('en')} events/s); ` +
        `cope()+ltd() ${((queryElapsed * 1000) / 2000).toFixed(1)} µs/read pair`,
    );
    expect(read.cope('E0')?.issued).toBe(40);
  });
});
