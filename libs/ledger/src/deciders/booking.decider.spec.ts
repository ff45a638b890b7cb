import { givenHistory } from '#testing';
import { normaliseSenderTime } from '../sender-clock.js';
import {
  bookingDecider,
  ticketKeys,
  type ApplyTransaction,
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
