import { givenHistory, permutations, seededRandom } from '#testing';
import { compareSnapshots, normaliseSenderTime } from '../sender-clock.js';
import { foldEvents, type Decider } from './decider.js';
import {
  bookingDecider,
  ticketKeys,
  type ApplyTransaction,
  type BookingState,
  type TransactionTicket,
} from './booking.decider.js';

const ticket = (barcode: string, seat: string, status = 'Purchased'): TransactionTicket => ({
  barcode,
  seat,
  performanceId: 661132,
  eventId: 3868,
  area: 'Stalls',
  price: 84,
  status,
});

function transaction(
  at: string,
  tickets: TransactionTicket[],
  overrides: Partial<ApplyTransaction> = {},
): ApplyTransaction {
  return {
    kind: 'ApplyTransaction',
    bookingReference: 'CSK46133',
    deliveryType: 'PrintAtHomeTickets',
    customer: { FullName: 'Morgan Better' },
    customerHash: 'customer-1',
    purchasedAt: '2023-11-09T09:47:59.623',
    tickets,
    reportedAt: at,
    senderTime: normaliseSenderTime(at),
    hash: `hash-${at}`,
    ...overrides,
  };
}

const T1 = '2024-03-05T08:26:11.1451352Z';
const T2 = '2024-03-05T09:00:00Z';
const T3 = '2024-03-05T10:00:00Z';

describe('booking decider', () => {
  it('given a new booking, when a transaction arrives, then its details are set and each ticket is issued', () => {
    givenHistory(bookingDecider)
      .when(transaction(T1, [ticket('23017425', 'E15'), ticket('23017426', 'J7', 'Cancelled')]))
      .expectTypes([
        'BookingDetailsChanged',
        'BookingTicketIssued',
        'BookingTicketIssued',
        'BookingTicketCancelled',
        'BookingSnapshotApplied',
      ]);
  });

  it('given a ticket appearing already cancelled, then it is issued with its status, then cancelled', () => {
    const { events } = givenHistory(bookingDecider).when(
      transaction(T1, [ticket('23017426', 'J7', 'Cancelled')]),
    );

    expect(events[1]).toMatchObject({
      type: 'BookingTicketIssued',
      data: { barcode: '23017426', seat: 'J7', status: 'Cancelled', ticketKey: '23017426|J7' },
    });
    expect(events[2]).toMatchObject({
      type: 'BookingTicketCancelled',
      data: { barcode: '23017426', reason: 'status' },
    });
  });

  it('given an issued ticket, when a newer snapshot marks it Cancelled, then it is cancelled', () => {
    const history = givenHistory(bookingDecider).when(transaction(T1, [ticket('1', 'A1')]));

    givenHistory(bookingDecider, ...history.events)
      .when(transaction(T2, [ticket('1', 'A1', 'Cancelled')]))
      .expectTypes(['BookingTicketCancelled', 'BookingSnapshotApplied']);
  });

  it('given a cancelled ticket, when a newer snapshot lists it Purchased again, then it is reinstated', () => {
    const first = givenHistory(bookingDecider).when(
      transaction(T1, [ticket('1', 'A1', 'Cancelled')]),
    );

    const { events } = givenHistory(bookingDecider, ...first.events).when(
      transaction(T2, [ticket('1', 'A1')]),
    );

    expect(events[0]).toMatchObject({
      type: 'BookingTicketReinstated',
      data: { barcode: '1', seat: 'A1', status: 'Purchased' },
    });
  });

  it('given two tickets, when a newer snapshot omits one, then that one is cancelled as removed', () => {
    const first = givenHistory(bookingDecider).when(
      transaction(T1, [ticket('1', 'A1'), ticket('2', 'A2')]),
    );

    const { events } = givenHistory(bookingDecider, ...first.events).when(
      transaction(T2, [ticket('1', 'A1')]),
    );

    expect(events).toContainEqual({
      type: 'BookingTicketCancelled',
      data: {
        bookingReference: 'CSK46133',
        barcode: '2',
        seat: 'A2',
        ticketKey: '2|A2',
        performanceId: 661132,
        reason: 'removed',
      },
    });
  });

  it('given a removed ticket, when it comes back, then it is reinstated', () => {
    const first = givenHistory(bookingDecider).when(transaction(T1, [ticket('1', 'A1')]));
    const second = givenHistory(bookingDecider, ...first.events).when(transaction(T2, []));

    givenHistory(bookingDecider, ...first.events, ...second.events)
      .when(transaction(T3, [ticket('1', 'A1')]))
      .expectTypes(['BookingTicketReinstated', 'BookingSnapshotApplied']);
  });

  it('given a live ticket moved to another performance or status, then it is issued again with the newer details', () => {
    const first = givenHistory(bookingDecider).when(transaction(T1, [ticket('1', 'A1')]));
    const moved = { ...ticket('1', 'A1', 'Reserved'), performanceId: 700000 };

    const { events, stateAfter } = givenHistory(bookingDecider, ...first.events).when(
      transaction(T2, [moved]),
    );

    expect(events[0]).toMatchObject({
      type: 'BookingTicketIssued',
      data: { ticketKey: '1|A1', performanceId: 700000, status: 'Reserved' },
    });
    expect(stateAfter.tickets.get('1|A1')).toMatchObject({
      performanceId: 700000,
      cancelled: false,
    });
  });

  it('given a live ticket whose area or price alone changes, then it is issued again with them', () => {
    const first = givenHistory(bookingDecider).when(transaction(T1, [ticket('1', 'A1')]));
    const moved = { ...ticket('1', 'A1'), area: 'Dress Circle', price: 95 };

    const { events, stateAfter } = givenHistory(bookingDecider, ...first.events).when(
      transaction(T2, [moved]),
    );

    expect(events.map((event) => event.type)).toEqual([
      'BookingTicketIssued',
      'BookingSnapshotApplied',
    ]);
    expect(events[0]).toMatchObject({
      data: { ticketKey: '1|A1', area: 'Dress Circle', price: 95 },
    });
    expect(stateAfter.tickets.get('1|A1')).toMatchObject({ area: 'Dress Circle', price: 95 });
  });

  it('given a cancelled ticket coming back in another area, then it is reinstated and issued with the new area', () => {
    const first = givenHistory(bookingDecider).when(
      transaction(T1, [ticket('1', 'A1', 'Cancelled')]),
    );

    givenHistory(bookingDecider, ...first.events)
      .when(transaction(T2, [{ ...ticket('1', 'A1'), area: 'Upper Circle' }]))
      .expectTypes(['BookingTicketReinstated', 'BookingTicketIssued', 'BookingSnapshotApplied']);
  });

  it('given the same snapshot details again, then no ticket is issued again', () => {
    const first = givenHistory(bookingDecider).when(transaction(T1, [ticket('1', 'A1')]));

    givenHistory(bookingDecider, ...first.events)
      .when(transaction(T2, [ticket('1', 'A1')]))
      .expectTypes(['BookingSnapshotApplied']);
  });

  it('given a status other than Purchased or Cancelled, then the ticket is issued with it verbatim', () => {
    const { events } = givenHistory(bookingDecider).when(
      transaction(T1, [ticket('1', 'A1', 'Reserved')]),
    );

    expect(events[1]).toMatchObject({ type: 'BookingTicketIssued', data: { status: 'Reserved' } });
    expect(events).toHaveLength(3);
  });

  it('when the delivery type or customer changes, then the booking details change', () => {
    const first = givenHistory(bookingDecider).when(transaction(T1, [ticket('1', 'A1')]));

    const changed = givenHistory(bookingDecider, ...first.events).when(
      transaction(T2, [ticket('1', 'A1')], { deliveryType: 'ScheduledEtickets' }),
    );
    const unchanged = givenHistory(bookingDecider, ...first.events).when(
      transaction(T2, [ticket('1', 'A1')]),
    );

    expect(changed.events[0]).toMatchObject({
      type: 'BookingDetailsChanged',
      data: {
        deliveryType: 'ScheduledEtickets',
        previousDeliveryType: 'PrintAtHomeTickets',
        customerChanged: false,
      },
    });
    unchanged.expectTypes(['BookingSnapshotApplied']);
  });

  it('given a newer snapshot applied, when an older one arrives, then it is superseded and changes nothing', () => {
    const newer = givenHistory(bookingDecider).when(
      transaction(T2, [ticket('1', 'A1', 'Cancelled')]),
    );

    const late = givenHistory(bookingDecider, ...newer.events).when(
      transaction(T1, [ticket('1', 'A1')]),
    );

    late.expectEvents([
      {
        type: 'SnapshotSuperseded',
        data: {
          subject: 'ltd booking CSK46133',
          senderTime: normaliseSenderTime(T1),
          hash: `hash-${T1}`,
          newestSenderTime: normaliseSenderTime(T2),
          newestHash: `hash-${T2}`,
          ticketKeys: ['1|A1'],
          performances: [{ performanceId: 661132, eventId: 3868 }],
        },
      },
    ]);
    expect(late.stateAfter).toEqual(newer.stateAfter);
  });

  it('reaches the same ticket statuses whichever order two snapshots arrive in', () => {
    const older = transaction(T1, [ticket('1', 'A1'), ticket('2', 'A2')]);
    const newer = transaction(T2, [ticket('1', 'A1', 'Cancelled')]);

    const inOrder = givenHistory(bookingDecider).when(older);
    const inOrderFinal = givenHistory(bookingDecider, ...inOrder.events).when(newer).stateAfter;
    const reversed = givenHistory(bookingDecider).when(newer);
    const reversedFinal = givenHistory(bookingDecider, ...reversed.events).when(older).stateAfter;

    const statuses = (state: typeof inOrderFinal) =>
      new Map([...state.tickets].map(([key, t]) => [key, t.cancelled]));
    expect(statuses(inOrderFinal)).toEqual(
      new Map([
        ['1|A1', true],
        ['2|A2', true],
      ]),
    );
    expect(statuses(reversedFinal)).toEqual(statuses(inOrderFinal));
    expect(inOrderFinal.newest).toEqual(reversedFinal.newest);
  });

  it('given equal timestamps, then the greater hash wins whatever the arrival order', () => {
    const a = transaction(T1, [ticket('1', 'A1')], { hash: 'aaa' });
    const b = transaction(T1, [ticket('1', 'A1', 'Cancelled')], { hash: 'bbb' });

    const ab = givenHistory(bookingDecider, ...givenHistory(bookingDecider).when(a).events).when(b);
    const ba = givenHistory(bookingDecider, ...givenHistory(bookingDecider).when(b).events).when(a);

    expect(ab.stateAfter.newest?.hash).toBe('bbb');
    ba.expectTypes(['SnapshotSuperseded']);
    expect(ba.stateAfter.tickets).toEqual(ab.stateAfter.tickets);
    expect(ba.stateAfter.newest?.hash).toBe('bbb');
  });

  it('given a superseded snapshot listing a ticket never seen, then that ticket is known as removed', () => {
    const newer = givenHistory(bookingDecider).when(transaction(T2, [ticket('1', 'A1')]));

    givenHistory(bookingDecider, ...newer.events)
      .when(transaction(T1, [ticket('1', 'A1'), ticket('2', 'A2')]))
      .expectTypes(['SnapshotSuperseded', 'BookingTicketIssued', 'BookingTicketCancelled']);
  });

  it('keeps three seats sharing one barcode as three tickets', () => {
    expect(
      ticketKeys([
        { barcode: 'X', seat: 'N40' },
        { barcode: 'X', seat: 'N39' },
        { barcode: 'X', seat: 'N39' },
      ]),
    ).toEqual(['X|N40', 'X|N39', 'X|N39|1']);
  });

  it('records released e-tickets and opt-ins as they come', () => {
    givenHistory(bookingDecider)
      .when({
        kind: 'ReleaseEtickets',
        release: {
          bookingReference: 'ABC01599',
          releasedAt: T1,
          tickets: [{ barcode: 'X', seat: 'N40' }],
        },
      })
      .expectTypes(['EticketsReleased']);
    givenHistory(bookingDecider)
      .when({
        kind: 'RecordOptIn',
        optIn: {
          bookingReference: 'XYZ12345',
          customerDigest: 'd',
          optInText: 'Receive updates',
          isOptedIn: true,
          reportedAt: T1,
        },
      })
      .expectTypes(['AffiliateOptInRecorded']);
  });
});

describe('booking decider — a function of the set of snapshots', () => {
  /** The state a booking stream reaches when its snapshots arrive in this order. */
  function arrivedInOrder(commands: readonly ApplyTransaction[]): BookingState {
    const decider = bookingDecider as Decider<unknown, BookingState>;
    let state = decider.initialState;
    for (const command of commands) {
      state = foldEvents(decider, bookingDecider.decide(command, state), state);
    }
    return state;
  }

  /** The final state in every arrival order; fails unless they are all equal. */
  function inEveryOrder(...commands: ApplyTransaction[]): BookingState {
    const states = permutations(commands).map((order) => ({
      order: order.map((command) => command.reportedAt),
      state: arrivedInOrder(order),
    }));
    const [first] = states;
    if (!first) throw new Error('no orders');
    for (const { order, state } of states) {
      expect({ order, state }).toEqual({ order, state: first.state });
    }
    return first.state;
  }

  const X = (overrides: Partial<TransactionTicket> = {}): TransactionTicket => ({
    ...ticket('X', 'A1'),
    ...overrides,
  });
  const Y = ticket('Y', 'A2');

  it('given a ticket moved to another performance, then dropped, then it is cancelled (removed) on the newer performance in all 6 orders', () => {
    const state = inEveryOrder(
      transaction(T1, [X({ performanceId: 1, eventId: 10, area: 'Stalls' }), Y]),
      transaction(T2, [X({ performanceId: 2, eventId: 20, area: 'Circle' }), Y]),
      transaction(T3, [Y]),
    );

    expect(state.tickets.get('X|A1')).toEqual({
      barcode: 'X',
      seat: 'A1',
      performanceId: 2,
      eventId: 20,
      area: 'Circle',
      price: 84,
      status: 'Purchased',
      cancelled: true,
    });
    expect(state.tickets.get('Y|A2')).toMatchObject({ cancelled: false });
  });

  it('given a ticket Purchased in one area, then Cancelled in another, then it is cancelled in the newer area in both orders', () => {
    const state = inEveryOrder(
      transaction(T1, [X({ area: 'Stalls' })]),
      transaction(T2, [X({ area: 'Circle', status: 'Cancelled' })]),
    );

    expect(state.tickets.get('X|A1')).toMatchObject({
      area: 'Circle',
      status: 'Cancelled',
      cancelled: true,
    });
  });

  it('given a newer snapshot that no longer gives an area, then the ticket has none in every order', () => {
    const { area: _area, ...withoutArea } = X();
    const state = inEveryOrder(
      transaction(T1, [X({ area: 'Stalls' })]),
      transaction(T2, [withoutArea]),
      transaction(T3, []),
    );

    expect(state.tickets.get('X|A1')).not.toHaveProperty('area');
  });

  it('given a ticket dropped, then back on another performance, then it is live there in every order', () => {
    const state = inEveryOrder(
      transaction(T1, [X({ performanceId: 1 }), Y]),
      transaction(T2, [Y]),
      transaction(T3, [X({ performanceId: 2, price: 95 }), Y]),
    );

    expect(state.tickets.get('X|A1')).toMatchObject({
      performanceId: 2,
      price: 95,
      cancelled: false,
    });
  });

  it('given a ticket removed while Purchased, then listed Cancelled, then its status is Cancelled in every order', () => {
    const state = inEveryOrder(
      transaction(T1, [X(), Y]),
      transaction(T2, [Y]),
      transaction(T3, [X({ status: 'Cancelled' }), Y]),
    );

    expect(state.tickets.get('X|A1')).toMatchObject({ status: 'Cancelled', cancelled: true });
  });

  it('given a cancelled ticket reinstated on another performance, then it is issued again there', () => {
    const first = givenHistory(bookingDecider).when(
      transaction(T1, [X({ performanceId: 1, status: 'Cancelled' })]),
    );

    const { events, stateAfter } = givenHistory(bookingDecider, ...first.events).when(
      transaction(T2, [X({ performanceId: 2 })]),
    );

    expect(events.map((event) => event.type)).toEqual([
      'BookingTicketReinstated',
      'BookingTicketIssued',
      'BookingSnapshotApplied',
    ]);
    expect(events[1]).toMatchObject({ data: { performanceId: 2 } });
    expect(stateAfter.tickets.get('X|A1')).toMatchObject({ performanceId: 2, cancelled: false });
  });

  it('given a live ticket cancelled with another area, then it is issued with that area, then cancelled', () => {
    const first = givenHistory(bookingDecider).when(transaction(T1, [X({ area: 'Stalls' })]));

    const { events } = givenHistory(bookingDecider, ...first.events).when(
      transaction(T2, [X({ area: 'Circle', status: 'Cancelled' })]),
    );

    expect(events.map((event) => event.type)).toEqual([
      'BookingTicketIssued',
      'BookingTicketCancelled',
      'BookingSnapshotApplied',
    ]);
    expect(events[0]).toMatchObject({ data: { area: 'Circle', status: 'Cancelled' } });
  });

  it('given a ticket whose order names another EventId, then it is issued again', () => {
    const first = givenHistory(bookingDecider).when(transaction(T1, [X({ eventId: 10 })]));

    givenHistory(bookingDecider, ...first.events)
      .when(transaction(T2, [X({ eventId: 11 })]))
      .expectTypes(['BookingTicketIssued', 'BookingSnapshotApplied']);
  });

  it('given a late snapshot still newer than the one that last listed a ticket, then the ticket takes its details and stays removed', () => {
    const newest = givenHistory(bookingDecider).when(transaction(T3, [Y]));
    const oldest = givenHistory(bookingDecider, ...newest.events).when(
      transaction(T1, [X({ performanceId: 1 }), Y]),
    );

    const late = givenHistory(bookingDecider, ...newest.events, ...oldest.events).when(
      transaction(T2, [X({ performanceId: 2 }), Y]),
    );

    late.expectTypes(['SnapshotSuperseded', 'BookingTicketIssued', 'BookingTicketCancelled']);
    expect(late.events[2]).toMatchObject({ data: { performanceId: 2, reason: 'removed' } });
    // And the oldest, arriving last, changes nothing: T2 is X's newest listing.
    givenHistory(bookingDecider, ...newest.events, ...oldest.events, ...late.events)
      .when(transaction(T1, [X({ performanceId: 1 }), Y], { hash: `hash-${T1}` }))
      .expectTypes(['SnapshotSuperseded']);
  });

  it('given a late snapshot with the details a ticket already has, then it only records its listing', () => {
    const newest = givenHistory(bookingDecider).when(transaction(T3, [Y]));
    const middle = givenHistory(bookingDecider, ...newest.events).when(transaction(T2, [X(), Y]));

    const late = givenHistory(bookingDecider, ...newest.events, ...middle.events).when(
      transaction(T1, [X({ area: 'Circle' }), Y]),
    );

    // T2, newer than T1, described X already: T1's other area does not count.
    late.expectTypes(['SnapshotSuperseded']);
    expect(late.stateAfter.tickets.get('X|A1')).toMatchObject({ area: 'Stalls' });
  });

  it('records the performances a snapshot names, each with its smallest EventId', () => {
    const { events } = givenHistory(bookingDecider).when(
      transaction(T1, [
        X({ performanceId: 2, eventId: 20 }),
        { ...Y, performanceId: 1 },
        { ...ticket('Z', 'A3'), performanceId: 2, eventId: 19 },
        { ...ticket('W', 'A4'), performanceId: 3, eventId: undefined },
      ]),
    );

    expect(events.at(-1)).toMatchObject({
      type: 'BookingSnapshotApplied',
      data: {
        performances: [
          { performanceId: 1, eventId: 3868 },
          { performanceId: 2, eventId: 19 },
          { performanceId: 3 },
        ],
      },
    });
  });

  it('given an order without ticket lines, then its performance is named too, applied or superseded', () => {
    const orders = [
      { performanceId: 7, eventId: 70 },
      { performanceId: 2, eventId: 21 },
    ];
    const applied = givenHistory(bookingDecider).when(
      transaction(T2, [X({ performanceId: 2, eventId: 20 })], { orders }),
    );
    const superseded = givenHistory(bookingDecider, ...applied.events).when(
      transaction(T1, [], { orders: [{ performanceId: 8 }] }),
    );

    expect(applied.events.at(-1)).toMatchObject({
      type: 'BookingSnapshotApplied',
      data: {
        performances: [
          { performanceId: 2, eventId: 20 },
          { performanceId: 7, eventId: 70 },
        ],
      },
    });
    expect(superseded.events).toMatchObject([
      { type: 'SnapshotSuperseded', data: { performances: [{ performanceId: 8 }] } },
    ]);
  });

  it('given random snapshots in every order, then each ticket has its newest listing’s details and the newest snapshot’s status', () => {
    const next = seededRandom(661132);
    const pick = <Item>(items: readonly Item[]): Item =>
      items[Math.floor(next() * items.length)] ?? (items[0] as Item);
    for (let round = 0; round < 25; round += 1) {
      const snapshots = [T1, T2, T3, '2024-03-05T11:00:00Z'].map((at) =>
        transaction(
          at,
          ['P', 'Q', 'R']
            .filter(() => next() < 0.7)
            .map((barcode) => ({
              ...ticket(barcode, 'S1'),
              performanceId: pick([1, 2, 3]),
              eventId: pick([10, 20]),
              area: pick(['Stalls', 'Circle']),
              status: pick(['Purchased', 'Purchased', 'Reserved', 'Cancelled']),
            })),
        ),
      );
      const state = inEveryOrder(...snapshots);

      // Oldest first, so that each ticket ends with its newest listing; one the newest
      // snapshot does not list is cancelled (removed).
      const byAge = [...snapshots].sort(compareSnapshots);
      const newest = byAge.at(-1);
      const expected = new Map<string, unknown>();
      for (const snapshot of byAge) {
        for (const line of snapshot.tickets) {
          expected.set(`${line.barcode}|${line.seat}`, {
            ...line,
            cancelled: snapshot !== newest || line.status === 'Cancelled',
          });
        }
      }
      expect(new Map([...state.tickets].sort())).toEqual(new Map([...expected].sort()));
    }
  });
});
