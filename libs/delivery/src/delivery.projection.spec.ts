import { performance } from 'node:perf_hooks';
import {
  bookingDecider,
  foldEvents,
  type BookingCommand,
  type BookingState,
  type Decider,
  type LedgerEvent,
  type TicketDeliveryRequested,
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
import { deliveryProjection } from './delivery.projection.js';
import { DeliveryQueries } from './delivery.queries.js';

// Builders ------------------------------------------------------------------------

const T1 = '2024-03-05T08:26:11.1451352Z';
const T2 = '2024-03-05T09:00:00Z';
const T3 = '2024-03-05T10:00:00+01:00'; // = 09:00:00Z: equal to T2, ordered by hash
const T4 = '2024-03-05T11:00:00Z';

function request(
  ticketId: string,
  ticketDeliveryId: string,
  requestedAt: string,
  overrides: Partial<TicketDeliveryRequested> = {},
): LedgerEvent {
  return {
    type: 'TicketDeliveryRequested',
    data: {
      ticketId,
      ticketDeliveryId,
      eventId: 'E1',
      eventProductId: 'P1',
      deliveryKind: 'email',
      recipient: 'ada@example.com',
      requestedAt,
      occurredAt: requestedAt,
      attendee: { name: 'Ada' },
      ...overrides,
    },
  };
}

function checkIn(ticketId: string, checkInId = `C-${ticketId}`): LedgerEvent {
  return {
    type: 'TicketCheckedIn',
    data: {
      gate: null,
      deviceId: null,
      ticketId,
      checkInId,
      eventId: 'E1',
      eventProductId: 'P1',
      checkedInAt: T2,
      occurredAt: T2,
      scannerSessionId: 'S1',
      attendee: {},
      contentHash: `hash-${checkInId}`,
    },
  };
}

const seat = (barcode: string, seatName: string, status = 'Purchased'): TransactionTicket => ({
  barcode,
  seat: seatName,
  performanceId: 661132,
  eventId: 3868,
  area: 'Stalls',
  price: 84,
  status,
});

function transaction(
  bookingReference: string,
  at: string,
  tickets: TransactionTicket[],
  deliveryType: string | null = 'PrintAtHomeTickets',
): BookingCommand {
  return ltdTransaction(bookingReference, at, tickets, {
    deliveryType,
    hash: `hash-${bookingReference}-${at}-${String(tickets.length)}`,
  });
}

function release(
  bookingReference: string,
  at: string,
  lines: readonly (readonly [barcode: string, seat: string])[],
): BookingCommand {
  return {
    kind: 'ReleaseEtickets',
    release: {
      bookingReference,
      releasedAt: at,
      tickets: lines.map(([barcode, seatName]) => ({ barcode, seat: seatName, area: 'Balcony' })),
    },
  };
}

function optIn(bookingReference: string): LedgerEvent {
  return {
    type: 'AffiliateOptInRecorded',
    data: {
      bookingReference,
      customerDigest: 'digest',
      optInText: 'Yes',
      isOptedIn: true,
      reportedAt: T1,
    },
  };
}

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

/** The events of each stage of one booking stream, each stage arriving after the previous. */
function stages(...commandStages: BookingCommand[][]): LedgerEvent[][] {
  let seen = 0;
  return commandStages.map((_, index) => {
    const events = arrive(...commandStages.slice(0, index + 1).flat());
    const stage = events.slice(seen);
    seen = events.length;
    return stage;
  });
}

function queries(...batches: LedgerEvent[][]): DeliveryQueries {
  const scenario = givenEvents(deliveryProjection);
  for (const batch of batches) scenario.when(...batch);
  return new DeliveryQueries(scenario.db, scenario.table);
}

// COPE ----------------------------------------------------------------------------

describe('delivery projection — COPE', () => {
  it('lists every request, newest requestedAt first, ties by ticketDeliveryId, and takes the newest event', () => {
    const read = queries([
      request('TK1', 'D1', '2024-03-05T08:00:00Z', { eventId: 'E1' }),
      request('TK1', 'D3', '2024-03-05T09:00:00Z', { eventId: 'E2', deliveryKind: 'sms' }),
      request('TK1', 'D2', '2024-03-05T10:00:00+01:00', { eventId: 'E3' }),
    ]);

    expect(read.cope('TK1')).toEqual({
      ticketId: 'TK1',
      eventId: 'E2',
      status: 'requested',
      requests: [
        {
          ticketDeliveryId: 'D3',
          deliveryKind: 'sms',
          recipient: 'ada@example.com',
          requestedAt: '2024-03-05T09:00:00Z',
          attendee: { name: 'Ada' },
        },
        expect.objectContaining({ ticketDeliveryId: 'D2' }),
        expect.objectContaining({ ticketDeliveryId: 'D1' }),
      ],
    });
  });

  it('compares requestedAt at full precision, not through a millisecond Date', () => {
    const read = queries([
      request('TK1', 'D1', '2024-03-05T08:00:00.0001Z', { eventId: 'E1' }),
      request('TK1', 'D2', '2024-03-05T08:00:00.00009Z', { eventId: 'E2' }),
    ]);

    expect(read.cope('TK1')?.eventId).toBe('E1');
  });

  it('given a ticket known only from a check-in, then it answers with nulls and no request', () => {
    expect(queries([checkIn('TK9')]).cope('TK9')).toEqual({
      ticketId: 'TK9',
      eventId: null,
      status: null,
      requests: [],
    });
  });

  it('answers undefined for a ticket no fact mentions', () => {
    expect(queries([request('TK1', 'D1', T1)]).cope('TK2')).toBeUndefined();
  });

  it('keeps one copy of a ticketDeliveryId whatever order two differing copies arrive in', () => {
    const first = request('TK1', 'D1', T1, { recipient: 'a@example.com' });
    const second = request('TK1', 'D1', T1, { recipient: 'b@example.com' });

    const forward = queries([first], [second]).cope('TK1');
    const backward = queries([second], [first]).cope('TK1');

    expect(forward?.requests).toHaveLength(1);
    expect(forward).toEqual(backward);
  });
});

// LTD -----------------------------------------------------------------------------

describe('delivery projection — LTD status', () => {
  it('given a print-at-home booking, then it is available at purchase with every live ticket', () => {
    const read = queries(
      arrive(
        transaction('CSK46133', T1, [seat('23017425', 'E15'), seat('23017426', 'J7', 'Cancelled')]),
      ),
    );

    expect(read.ltd('CSK46133')).toEqual({
      bookingReference: 'CSK46133',
      deliveryType: 'PrintAtHomeTickets',
      status: 'available',
      eticketsAvailableAt: null,
      tickets: [
        {
          barcode: '23017425',
          seat: 'E15',
          area: 'Stalls',
          status: 'issued',
          eticketAvailable: true,
        },
        {
          barcode: '23017426',
          seat: 'J7',
          area: 'Stalls',
          status: 'cancelled',
          eticketAvailable: false,
        },
      ],
      discrepancies: [],
    });
  });

  it('given a newer snapshot that moves a ticket to another area, then the ticket shows the newer area in either arrival order', () => {
    const older = transaction('CSK46133', T1, [seat('23017425', 'E15')]);
    const newer = transaction('CSK46133', T2, [
      { ...seat('23017425', 'E15'), area: 'Dress Circle' },
    ]);

    for (const order of [
      [older, newer],
      [newer, older],
    ]) {
      expect(queries(arrive(...order)).ltd('CSK46133')?.tickets).toEqual([
        {
          barcode: '23017425',
          seat: 'E15',
          area: 'Dress Circle',
          status: 'issued',
          eticketAvailable: true,
        },
      ]);
    }
  });

  it('given a scheduled delivery type, then it is pending until e-tickets are released', () => {
    const booked = arrive(transaction('B1', T1, [seat('1', 'A1')], 'ScheduledEtickets'));
    const read = queries(booked);

    expect(read.ltd('B1')).toMatchObject({
      status: 'pending',
      eticketsAvailableAt: null,
      tickets: [{ barcode: '1', eticketAvailable: false }],
    });
  });

  it('recognises a scheduled type by name, case-insensitively', () => {
    const booked = arrive(transaction('B1', T1, [seat('1', 'A1')], 'E-ticket (SCHEDULED)'));

    expect(queries(booked).ltd('B1')?.status).toBe('pending');
  });

  it('given a release, then it is available from the earliest release, per released barcode', () => {
    const events = arrive(
      transaction('B1', T1, [seat('1', 'A1'), seat('2', 'A2')], 'ScheduledEtickets'),
      release('B1', T4, [['1', 'A1']]),
      release('B1', T2, [['1', 'A1']]),
    );
    const read = queries(events);

    expect(read.ltd('B1')).toMatchObject({
      status: 'available',
      eticketsAvailableAt: T2,
      tickets: [
        { barcode: '1', status: 'issued', eticketAvailable: true },
        // Released for another barcode only: this ticket's e-ticket is not out yet.
        { barcode: '2', status: 'issued', eticketAvailable: false },
      ],
      discrepancies: [],
    });
  });

  it('given a booking known only from released e-tickets, then it is available with no tickets and no unknown barcode', () => {
    const read = queries(arrive(release('B1', T1, [['1', 'A1']])));

    expect(read.ltd('B1')).toEqual({
      bookingReference: 'B1',
      deliveryType: null,
      status: 'available',
      eticketsAvailableAt: T1,
      tickets: [],
      discrepancies: [],
    });
  });

  it('given a booking known only from an opt-in, then it is pending with nulls', () => {
    expect(queries([optIn('B7')]).ltd('B7')).toEqual({
      bookingReference: 'B7',
      deliveryType: null,
      status: 'pending',
      eticketsAvailableAt: null,
      tickets: [],
      discrepancies: [],
    });
  });

  it('given a transaction with no delivery type, then it is available at purchase (no scheduled type is named)', () => {
    expect(queries(arrive(transaction('B1', T1, [seat('1', 'A1')], null))).ltd('B1')).toMatchObject(
      {
        deliveryType: null,
        status: 'available',
        tickets: [{ barcode: '1', status: 'issued', eticketAvailable: true }],
      },
    );
  });

  it('given a scheduled type, then a newer transaction with no delivery type, then it is available in either order', () => {
    const scheduled = transaction('B1', T1, [seat('1', 'A1')], 'ScheduledEtickets');
    const untyped = transaction('B1', T4, [seat('1', 'A1')], null);

    for (const order of [
      [scheduled, untyped],
      [untyped, scheduled],
    ]) {
      expect(queries(arrive(...order)).ltd('B1')).toMatchObject({
        deliveryType: null,
        status: 'available',
        tickets: [{ eticketAvailable: true }],
      });
    }
  });

  it('given every ticket cancelled, then it is cancelled, even when released', () => {
    const events = arrive(
      transaction('B1', T1, [seat('1', 'A1'), seat('2', 'A2')], 'ScheduledEtickets'),
      release('B1', T2, [['1', 'A1']]),
      transaction('B1', T4, [seat('1', 'A1', 'Cancelled')], 'ScheduledEtickets'),
    );
    const read = queries(events);

    expect(read.ltd('B1')).toMatchObject({
      status: 'cancelled',
      eticketsAvailableAt: T2,
      tickets: [
        { barcode: '1', status: 'cancelled', eticketAvailable: false },
        { barcode: '2', status: 'cancelled', eticketAvailable: false },
      ],
    });
  });

  it('given a newer transaction cancelling one ticket, then the booking stays available with the other', () => {
    const read = queries(
      ...stages(
        [transaction('B1', T1, [seat('1', 'A1'), seat('2', 'A2')])],
        [transaction('B1', T4, [seat('1', 'A1'), seat('2', 'A2', 'Cancelled')])],
      ),
    );

    expect(read.ltd('B1')).toMatchObject({
      status: 'available',
      tickets: [
        { barcode: '1', status: 'issued', eticketAvailable: true },
        { barcode: '2', status: 'cancelled', eticketAvailable: false },
      ],
    });
  });

  it('takes the delivery type of the newest transaction whatever order snapshots arrive in', () => {
    const older = transaction('B1', T1, [seat('1', 'A1')], 'PrintAtHomeTickets');
    const newer = transaction('B1', T4, [seat('1', 'A1')], 'ScheduledEtickets');

    for (const order of [
      [older, newer],
      [newer, older],
    ]) {
      expect(queries(arrive(...order)).ltd('B1')).toMatchObject({
        deliveryType: 'ScheduledEtickets',
        status: 'pending',
      });
    }
  });

  it('never rolls back to an older snapshot fed after a newer one', () => {
    const newer = arrive(transaction('B1', T4, [seat('1', 'A1')], 'ScheduledEtickets'));
    const older = arrive(transaction('B1', T1, [seat('1', 'A1')], 'PrintAtHomeTickets')).filter(
      (event) => event.type === 'BookingSnapshotApplied',
    );

    expect(queries(newer, older).ltd('B1')).toMatchObject({
      deliveryType: 'ScheduledEtickets',
      status: 'pending',
    });
  });

  it('answers undefined for a booking no fact mentions', () => {
    expect(queries(arrive(transaction('B1', T1, [seat('1', 'A1')]))).ltd('B2')).toBeUndefined();
  });
});

describe('delivery projection — LTD discrepancies', () => {
  it('given e-tickets released before the transaction, then an unknown barcode is flagged once the transaction is known', () => {
    const [released = [], transacted = []] = stages(
      [release('B1', T1, [['9', 'Z9']])],
      [transaction('B1', T2, [seat('1', 'A1')])],
    );
    const scenario = givenEvents(deliveryProjection, ...released);
    const read = new DeliveryQueries(scenario.db, scenario.table);
    expect(read.ltd('B1')?.discrepancies).toEqual([]);

    scenario.when(...transacted);

    expect(read.ltd('B1')?.discrepancies).toEqual([
      {
        id: expect.any(String) as unknown,
        type: 'eticket_for_unknown_barcode',
        provider: 'ltd',
        bookingReference: 'B1',
        ticketId: '9',
        detail: expect.stringContaining('barcode 9') as unknown,
        since: T2,
      },
    ]);
  });

  it('given a release listing a barcode of the newest transaction, then nothing is flagged, in either order', () => {
    const tx = transaction('B1', T2, [seat('1', 'A1')], 'ScheduledEtickets');
    const out = release('B1', T1, [['1', 'A1']]);

    for (const order of [
      [tx, out],
      [out, tx],
    ]) {
      expect(queries(arrive(...order)).ltd('B1')).toMatchObject({
        status: 'available',
        tickets: [{ barcode: '1', eticketAvailable: true }],
        discrepancies: [],
      });
    }
  });

  it('flags a barcode that the newest transaction no longer lists', () => {
    const events = arrive(
      transaction('B1', T1, [seat('1', 'A1'), seat('2', 'A2')], 'ScheduledEtickets'),
      release('B1', T2, [['2', 'A2']]),
      transaction('B1', T4, [seat('1', 'A1')], 'ScheduledEtickets'),
    );

    expect(queries(events).ltd('B1')?.discrepancies).toEqual([
      expect.objectContaining({ type: 'eticket_for_unknown_barcode', ticketId: '2', since: T4 }),
    ]);
  });

  it('flags an e-ticket for a cancelled ticket, and drops it when the ticket is reinstated', () => {
    const [cancelled = [], reinstated = []] = stages(
      [
        transaction('B1', T1, [seat('1', 'A1'), seat('2', 'A2', 'Cancelled')], 'ScheduledEtickets'),
        release('B1', T2, [
          ['1', 'A1'],
          ['2', 'A2'],
        ]),
      ],
      [transaction('B1', T4, [seat('1', 'A1'), seat('2', 'A2')], 'ScheduledEtickets')],
    );
    const scenario = givenEvents(deliveryProjection, ...cancelled);
    const read = new DeliveryQueries(scenario.db, scenario.table);

    expect(read.ltd('B1')?.discrepancies).toEqual([
      {
        id: expect.any(String) as unknown,
        type: 'eticket_for_cancelled_ticket',
        provider: 'ltd',
        bookingReference: 'B1',
        ticketId: '2',
        performanceId: 661132,
        detail: expect.stringContaining('seats A2') as unknown,
        since: T2,
      },
    ]);
    expect(read.discrepancies({ limit: 10 }).items).toHaveLength(1);

    scenario.when(...reinstated);

    expect(read.ltd('B1')?.discrepancies).toEqual([]);
    expect(read.discrepancies({ limit: 10 }).items).toEqual([]);
  });

  it('flags the LTD seed example: one barcode on three seats of one booking', () => {
    const events = arrive(
      transaction(
        'ABC01599',
        T1,
        [
          seat('00000015125182882200', 'N40'),
          seat('00000015125182882200', 'N39'),
          seat('00000015125182882200', 'N38'),
        ],
        'ScheduledEtickets',
      ),
    );

    expect(queries(events).ltd('ABC01599')?.discrepancies).toEqual([
      {
        id: expect.any(String) as unknown,
        type: 'duplicate_barcode',
        provider: 'ltd',
        bookingReference: 'ABC01599',
        ticketId: '00000015125182882200',
        performanceId: 661132,
        detail:
          'barcode 00000015125182882200 is on 3 seats: ABC01599 N38, ABC01599 N39, ABC01599 N40',
        since: T1,
      },
    ]);
  });

  it('flags the seed e-ticket example before any transaction is known', () => {
    const events = arrive(
      release('ABC01599', T1, [
        ['00000015125182882200', 'N40'],
        ['00000015125182882200', 'N39'],
        ['00000015125182882200', 'N38'],
      ]),
    );

    expect(queries(events).ltd('ABC01599')?.discrepancies).toEqual([
      expect.objectContaining({ type: 'duplicate_barcode', since: T1 }),
    ]);
  });

  it('flags a barcode shared across bookings, in each booking, and drops it when one is cancelled', () => {
    const first = arrive(transaction('B1', T1, [seat('7', 'A1')]));
    const [second = [], emptied = []] = stages(
      [transaction('B2', T2, [seat('7', 'B1')])],
      [transaction('B2', T4, [])],
    );
    const scenario = givenEvents(deliveryProjection, ...first, ...second);
    const read = new DeliveryQueries(scenario.db, scenario.table);

    expect(read.ltd('B1')?.discrepancies).toEqual([
      expect.objectContaining({
        type: 'duplicate_barcode',
        bookingReference: 'B1',
        detail: 'barcode 7 is on 2 seats: B1 A1, B2 B1',
        since: T2,
      }),
    ]);
    expect(read.ltd('B2')?.discrepancies).toEqual([
      expect.objectContaining({ type: 'duplicate_barcode', bookingReference: 'B2', since: T2 }),
    ]);
    expect(read.discrepancies({ type: 'duplicate_barcode', limit: 10 }).items).toHaveLength(2);

    scenario.when(...emptied);

    expect(read.ltd('B1')?.discrepancies).toEqual([]);
    expect(read.ltd('B2')?.discrepancies).toEqual([]);
    expect(read.ltd('B2')?.status).toBe('cancelled');
  });

  it('pages the discrepancy list by id, with type and provider filters', () => {
    const events = [
      ...arrive(transaction('B1', T1, [seat('7', 'A1'), seat('7', 'A2')])),
      ...arrive(transaction('B2', T1, [seat('8', 'A1'), seat('8', 'A2')])),
      ...arrive(transaction('B3', T1, [seat('9', 'A1')]), release('B3', T2, [['5', 'X']])),
    ];
    const read = queries(events);

    const first = read.discrepancies({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.next).toBe(first.items[1]?.id);
    const second = read.discrepancies({ limit: 2, after: first.next ?? '' });
    expect(second.items).toHaveLength(1);
    expect(second.next).toBeNull();
    const ids = [...first.items, ...second.items].map((item) => item.id);
    expect(ids).toEqual([...ids].sort());

    expect(
      read.discrepancies({ type: 'eticket_for_unknown_barcode', limit: 10 }).items,
    ).toMatchObject([{ bookingReference: 'B3', ticketId: '5' }]);
    expect(read.discrepancies({ provider: 'cope', limit: 10 }).items).toEqual([]);
    expect(read.discrepancies({ eventId: 'E1', limit: 10 }).items).toEqual([]);
  });
});

// Order-insensitivity ---------------------------------------------------------------

describe('delivery projection — order', () => {
  const bookingCommands: Record<string, BookingCommand[]> = {
    B1: [
      transaction('B1', T1, [seat('1', 'A1'), seat('2', 'A2')], 'ScheduledEtickets'),
      transaction('B1', T2, [seat('1', 'A1'), seat('2', 'A2', 'Cancelled')], 'ScheduledEtickets'),
      transaction('B1', T3, [seat('1', 'A1'), seat('3', 'A3')], 'ScheduledEtickets'),
      release('B1', T2, [
        ['1', 'A1'],
        ['2', 'A2'],
        ['4', 'A4'],
      ]),
    ],
    B2: [
      transaction('B2', T1, [seat('1', 'Z1')]),
      transaction('B2', T4, [seat('1', 'Z1'), seat('5', 'Z5')]),
    ],
    B3: [release('B3', T4, [['6', 'Q1']]), release('B3', T1, [['6', 'Q2']])],
  };
  const copeEvents = [
    request('TK1', 'D1', T1),
    request('TK1', 'D2', T2, { eventId: 'E2' }),
    request('TK2', 'D3', T2),
    checkIn('TK3'),
  ];

  function dump(read: DeliveryQueries) {
    return {
      cope: ['TK1', 'TK2', 'TK3', 'TK4'].map((id) => read.cope(id)),
      ltd: ['B1', 'B2', 'B3', 'B4'].map((ref) => read.ltd(ref)),
      discrepancies: read.discrepancies({ limit: 100 }),
    };
  }

  it('reaches the same answers whatever order each booking’s webhooks arrive in', () => {
    const b2 = arrive(...(bookingCommands['B2'] ?? []));
    const b3 = arrive(...(bookingCommands['B3'] ?? []));
    const answers = permutations(bookingCommands['B1'] ?? []).map((order) =>
      dump(queries(copeEvents, arrive(...order), b2, b3)),
    );

    expect(answers).toHaveLength(24);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.ltd[0]).toMatchObject({
      status: 'available',
      tickets: [
        { barcode: '1', status: 'issued' },
        { barcode: '2', status: 'cancelled' },
        { barcode: '3', status: 'issued' },
      ],
    });
  });

  it('given a ticket moved to another performance and area, then dropped, then the booking answers the same in all 6 orders', () => {
    const moving = (performanceId: number, area?: string): TransactionTicket => {
      const { area: _area, ...line } = { ...seat('X', 'A1'), performanceId };
      return area === undefined ? line : { ...line, area };
    };
    const oldest = transaction('B9', T1, [moving(1, 'Stalls'), seat('Y', 'A2')]);
    const snapshots = [
      oldest,
      transaction('B9', T2, [moving(2, 'Circle'), seat('Y', 'A2')]),
      transaction('B9', T4, [seat('Y', 'A2')]),
    ];
    const released = release('B9', T2, [['X', 'A1']]);

    const answers = permutations(snapshots).map((order) =>
      dumpOf(queries(arrive(...order, released)), 'B9'),
    );

    expect(answers).toHaveLength(6);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.ltd).toMatchObject({
      status: 'available',
      tickets: [
        { barcode: 'X', area: 'Circle', status: 'cancelled', eticketAvailable: false },
        { barcode: 'Y', area: 'Stalls', status: 'issued' },
      ],
      // The e-ticket's barcode is no longer listed; its performance is X's newest.
      discrepancies: [{ type: 'eticket_for_unknown_barcode', performanceId: 2 }],
    });

    // A newer listing without an area leaves the ticket with none, in every order too.
    const withoutArea = [oldest, transaction('B9', T2, [moving(2), seat('Y', 'A2')])];
    const areas = permutations(withoutArea).map(
      (order) => queries(arrive(...order)).ltd('B9')?.tickets[0]?.area,
    );
    expect(areas).toEqual([null, null]);
  });

  function dumpOf(read: DeliveryQueries, ref: string) {
    return { ltd: read.ltd(ref), discrepancies: read.discrepancies({ limit: 100 }) };
  }

  it('reaches the same answers in random interleavings and batch splits', () => {
    const next = seededRandom(20240305);
    const answers = Array.from({ length: 30 }, () => {
      const streams = [
        ...Object.values(bookingCommands).map((commands) => {
          const order = [...commands].sort(() => next() - 0.5);
          return arrive(...order);
        }),
        ...copeEvents.map((event) => [event]),
      ];
      return dump(queries(...shuffledBatches(streams, next)));
    });

    for (const answer of answers) expect(answer).toEqual(answers[0]);
    // B1's newest transaction is T3 (equal to T2 in time, greater hash): it lists 1 and 3.
    expect(
      answers[0]?.discrepancies.items
        .map((item) => `${item.type} ${item.bookingReference ?? ''} ${item.ticketId ?? ''}`)
        .sort(),
    ).toEqual([
      'duplicate_barcode B1 1',
      'duplicate_barcode B2 1',
      'duplicate_barcode B3 6',
      'eticket_for_unknown_barcode B1 2',
      'eticket_for_unknown_barcode B1 4',
    ]);
  });
});

// Cost ----------------------------------------------------------------------------

describe('delivery projection — cost', () => {
  it('prints the cost of apply() per event (measured, not asserted)', () => {
    const events: LedgerEvent[] = [];
    for (let booking = 0; booking < 2000; booking += 1) {
      const ref = `B${String(booking)}`;
      events.push(
        ...arrive(
          transaction(
            ref,
            T1,
            [seat(`${ref}-1`, 'A1'), seat(`${ref}-2`, 'A2'), seat(`${ref}-3`, 'A3')],
            'ScheduledEtickets',
          ),
          transaction(ref, T2, [seat(`${ref}-1`, 'A1'), seat(`${ref}-2`, 'A2', 'Cancelled')]),
          release(ref, T4, [[`${ref}-1`, 'A1']]),
        ),
      );
      events.push(request(`TK${String(booking)}`, `D${String(booking)}`, T1), checkIn(`TK${ref}`));
    }
    // Recorded beforehand, so that only the runner's work (filter, transaction, apply) is timed.
    const recorded = events.map((event, index) => recordedEvent(event, index + 1));
    const scenario = givenEvents(deliveryProjection);
    const started = performance.now();
    for (let start = 0; start < recorded.length; start += 500) {
      scenario.when(...recorded.slice(start, start + 500));
    }
    const elapsed = performance.now() - started;
    const read = new DeliveryQueries(scenario.db, scenario.table);
    const queryStarted = performance.now();
    for (let booking = 0; booking < 2000; booking += 1) read.ltd(`B${String(booking)}`);
    const queryElapsed = performance.now() - queryStarted;
    console.log(
      `delivery apply(): ${String(events.length)} events in batches of 500, ` +
        `${((elapsed * 1000) / events.length).toFixed(1)} µs/event ` +
        `(${Math.round(events.length / (elapsed / 1000)).toLocaleString('en')} events/s); ` +
        `ltd() ${((queryElapsed * 1000) / 2000).toFixed(1)} µs/read`,
    );
    expect(read.ltd('B0')?.status).toBe('available');
  });
});
