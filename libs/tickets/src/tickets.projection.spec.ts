import { bookingDecider, type LedgerEvent } from '#ledger';
import { discrepancyId } from '#projections';
import {
  checkedIn,
  decidedInOrder,
  deliveryRequested,
  eticketsReleased,
  givenEvents,
  ltdTicketCancelled,
  ltdTicketIssued,
  ltdTicketLine,
  ltdTicketReinstated,
  ltdTransaction,
  permutations,
  type ProjectionScenario,
} from '#testing';
import { ticketsProjection } from './tickets.projection.js';
import { TicketQueries } from './tickets.queries.js';

function ticketOf(scenario: ProjectionScenario, code: string) {
  return new TicketQueries(scenario.db, scenario.table).ticket(code);
}

const seat = (barcode: string, seatName: string, bookingReference = 'B1') => ({
  bookingReference,
  barcode,
  seat: seatName,
});

describe('tickets projection', () => {
  it('answers undefined (404) for a code no fact mentions', () => {
    expect(ticketOf(givenEvents(ticketsProjection, deliveryRequested('T1', 'E1')), 'T2')).toBe(
      undefined,
    );
  });

  it('shows a COPE ticket: its record in its newest request’s event, its deliveries newest first, its check-ins', () => {
    const scenario = givenEvents(
      ticketsProjection,
      deliveryRequested('T1', 'E1', {
        ticketDeliveryId: 'D1',
        requestedAt: '2026-05-01T10:00:00Z',
      }),
      deliveryRequested('T1', 'E2', {
        ticketDeliveryId: 'D2',
        requestedAt: '2026-05-02T10:00:00Z',
        deliveryKind: 'sms',
        recipient: '+441234',
      }),
      checkedIn('C1', 'T1', 'E2', { gate: 'North', deviceId: 'dev-1' }),
    );
    expect(ticketOf(scenario, 'T1')).toEqual({
      ticketId: 'T1',
      records: [{ provider: 'cope', status: 'issued', eventId: 'E2' }],
      checkIns: [
        {
          checkInId: 'C1',
          eventId: 'E2',
          checkedInAt: '2026-05-05T19:00:00Z',
          gate: 'North',
          scannerSessionId: 'S1',
          deviceId: 'dev-1',
          conflicting: false,
        },
      ],
      deliveries: [
        {
          provider: 'cope',
          ticketDeliveryId: 'D2',
          eventId: 'E2',
          deliveryKind: 'sms',
          recipient: '+441234',
          requestedAt: '2026-05-02T10:00:00Z',
        },
        {
          provider: 'cope',
          ticketDeliveryId: 'D1',
          eventId: 'E1',
          deliveryKind: 'email',
          recipient: 't1@example.com',
          requestedAt: '2026-05-01T10:00:00Z',
        },
      ],
      discrepancies: [],
    });
  });

  it('given differing copies of one ticketDeliveryId, lists only the newest copy of each (later requestedAt, then greater event id), whatever their order', () => {
    const facts: LedgerEvent[] = [
      deliveryRequested('T1', 'E1', {
        ticketDeliveryId: 'D1',
        requestedAt: '2026-05-01T10:00:00Z',
        recipient: 'old@example.com',
      }),
      deliveryRequested('T1', 'E3', {
        ticketDeliveryId: 'D1',
        requestedAt: '2026-05-03T10:00:00Z',
        recipient: 'new@example.com',
      }),
      deliveryRequested('T1', 'E1', {
        ticketDeliveryId: 'D2',
        requestedAt: '2026-05-02T10:00:00Z',
      }),
      deliveryRequested('T1', 'E2', {
        ticketDeliveryId: 'D2',
        requestedAt: '2026-05-02T10:00:00Z',
      }),
    ];
    const answersFor = (batches: LedgerEvent[][]) => {
      const scenario = givenEvents(ticketsProjection);
      for (const batch of batches) scenario.when(...batch);
      return ticketOf(scenario, 'T1');
    };

    const answer = answersFor([facts]);

    expect(answer?.records).toEqual([{ provider: 'cope', status: 'issued', eventId: 'E3' }]);
    expect(answer?.deliveries).toEqual([
      {
        provider: 'cope',
        ticketDeliveryId: 'D1',
        eventId: 'E3',
        deliveryKind: 'email',
        recipient: 'new@example.com',
        requestedAt: '2026-05-03T10:00:00Z',
      },
      {
        provider: 'cope',
        ticketDeliveryId: 'D2',
        eventId: 'E2',
        deliveryKind: 'email',
        recipient: 't1@example.com',
        requestedAt: '2026-05-02T10:00:00Z',
      },
    ]);
    expect(answersFor([[...facts].reverse()])).toEqual(answer);
    expect(answersFor(facts.map((fact) => [fact]))).toEqual(answer);
    expect(answersFor([...facts].reverse().map((fact) => [fact]))).toEqual(answer);
  });

  it('given a code mentioned only by a check-in, answers with no record and an unknown_ticket discrepancy', () => {
    const answer = ticketOf(givenEvents(ticketsProjection, checkedIn('C1', 'X1', 'E1')), 'X1');
    expect(answer).toMatchObject({ ticketId: 'X1', records: [], deliveries: [] });
    expect(answer?.checkIns.map((c) => c.checkInId)).toEqual(['C1']);
    expect(answer?.discrepancies).toEqual([
      {
        id: discrepancyId('unknown_ticket', 'E1', 'X1'),
        type: 'unknown_ticket',
        provider: 'cope',
        eventId: 'E1',
        ticketId: 'X1',
        detail: expect.any(String) as string,
        since: '2026-05-05T19:00:00Z',
        checkInIds: ['C1'],
      },
    ]);
  });

  it('given a check-in before its delivery request, the unknown_ticket discrepancy closes when the request arrives', () => {
    const scenario = givenEvents(ticketsProjection, checkedIn('C1', 'T1', 'E1'));
    expect(ticketOf(scenario, 'T1')?.discrepancies).toHaveLength(1);
    scenario.when(deliveryRequested('T1', 'E1'));
    expect(ticketOf(scenario, 'T1')).toMatchObject({
      records: [{ provider: 'cope', eventId: 'E1' }],
      discrepancies: [],
    });
  });

  it('shows every LTD seat with the barcode, its status and e-ticket releases', () => {
    const scenario = givenEvents(
      ticketsProjection,
      ltdTicketIssued(seat('L1', 'A1')),
      ltdTicketIssued(seat('L1', 'A2')),
      ltdTicketIssued(seat('L1', 'A3', 'B0')),
      ltdTicketCancelled(seat('L1', 'A2'), { reason: 'removed' }),
      eticketsReleased('B1', [{ barcode: 'L1', seat: 'A1', area: 'Stalls' }]),
    );
    expect(ticketOf(scenario, 'L1')).toEqual({
      ticketId: 'L1',
      records: [
        {
          provider: 'ltd',
          status: 'issued',
          performanceId: 1001,
          bookingReference: 'B0',
          seat: 'A3',
          area: 'Stalls',
          providerStatus: 'Purchased',
        },
        {
          provider: 'ltd',
          status: 'issued',
          performanceId: 1001,
          bookingReference: 'B1',
          seat: 'A1',
          area: 'Stalls',
          providerStatus: 'Purchased',
        },
        {
          provider: 'ltd',
          status: 'cancelled',
          performanceId: 1001,
          bookingReference: 'B1',
          seat: 'A2',
          area: 'Stalls',
          providerStatus: 'Purchased',
        },
      ],
      checkIns: [],
      deliveries: [
        {
          provider: 'ltd',
          bookingReference: 'B1',
          seat: 'A1',
          area: 'Stalls',
          releasedAt: '2026-05-04T12:00:00Z',
        },
      ],
      discrepancies: [],
    });
  });

  it('given a cancelled LTD barcode checked in at a COPE gate, lists cancelled_ticket until it is reinstated', () => {
    const scenario = givenEvents(
      ticketsProjection,
      checkedIn('C1', 'L1', 'E1'),
      ltdTicketIssued(seat('L1', 'A1')),
      ltdTicketCancelled(seat('L1', 'A1')),
    );
    expect(ticketOf(scenario, 'L1')).toMatchObject({
      records: [{ provider: 'ltd', status: 'cancelled', providerStatus: 'Cancelled' }],
      discrepancies: [{ type: 'cancelled_ticket', eventId: 'E1' }],
    });
    scenario.when(ltdTicketReinstated(seat('L1', 'A1')));
    expect(ticketOf(scenario, 'L1')).toMatchObject({
      records: [{ provider: 'ltd', status: 'issued' }],
      discrepancies: [],
    });
  });

  it('given an LTD seat cancelled or reinstated on another performance, then its record moves there', () => {
    const scenario = givenEvents(
      ticketsProjection,
      ltdTicketIssued(seat('L1', 'A1'), { performanceId: 1 }),
      ltdTicketCancelled(seat('L1', 'A1'), { performanceId: 2, reason: 'removed' }),
    );
    expect(ticketOf(scenario, 'L1')?.records).toMatchObject([
      { status: 'cancelled', performanceId: 2 },
    ]);

    scenario.when(ltdTicketReinstated(seat('L1', 'A1'), { performanceId: 3 }));
    expect(ticketOf(scenario, 'L1')?.records).toMatchObject([
      { status: 'issued', performanceId: 3 },
    ]);
  });

  it('given an LTD ticket moved, re-described and dropped by three snapshots, then its record is the same in all 6 arrival orders', () => {
    const snapshots = [
      ltdTransaction('B1', '2024-03-05T08:00:00Z', [
        ltdTicketLine('X', 'A1', { performanceId: 1, area: 'Stalls' }),
        ltdTicketLine('Y', 'A2'),
      ]),
      ltdTransaction('B1', '2024-03-05T09:00:00Z', [
        ltdTicketLine('X', 'A1', { performanceId: 2, area: 'Circle', status: 'Reserved' }),
        ltdTicketLine('Y', 'A2'),
      ]),
      ltdTransaction('B1', '2024-03-05T10:00:00Z', [ltdTicketLine('Y', 'A2')]),
    ];

    const answers = permutations(snapshots).map((order) =>
      ticketOf(givenEvents(ticketsProjection, ...decidedInOrder(bookingDecider, order)), 'X'),
    );

    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]?.records).toEqual([
      {
        provider: 'ltd',
        status: 'cancelled',
        performanceId: 2,
        bookingReference: 'B1',
        seat: 'A1',
        area: 'Circle',
        providerStatus: 'Reserved',
      },
    ]);
  });

  it('given a check-in at its event, when a newer request moves the ticket, lists wrong_event', () => {
    const scenario = givenEvents(
      ticketsProjection,
      deliveryRequested('T1', 'E1', { requestedAt: '2026-05-01T10:00:00Z' }),
      checkedIn('C1', 'T1', 'E1'),
    );
    expect(ticketOf(scenario, 'T1')?.discrepancies).toEqual([]);
    scenario.when(
      deliveryRequested('T1', 'E2', {
        ticketDeliveryId: 'D2',
        requestedAt: '2026-05-03T10:00:00Z',
      }),
    );
    expect(ticketOf(scenario, 'T1')?.discrepancies).toEqual([
      expect.objectContaining({
        type: 'wrong_event',
        id: discrepancyId('wrong_event', 'E1', 'T1'),
      }),
    ]);
  });

  it('shows the counted copy of a conflicting check-in; a code only the other copy names still answers', () => {
    const counted = checkedIn('C1', 'T1', 'E1', { contentHash: 'aaa' });
    const other = checkedIn('C1', 'T9', 'E1', { contentHash: 'bbb' });
    for (const scenario of [
      givenEvents(ticketsProjection, deliveryRequested('T1', 'E1'), counted).when(other),
      givenEvents(ticketsProjection, deliveryRequested('T1', 'E1'), other).when(counted),
    ]) {
      const answer = ticketOf(scenario, 'T1');
      expect(answer?.checkIns).toEqual([
        expect.objectContaining({ checkInId: 'C1', conflicting: true }),
      ]);
      expect(answer?.discrepancies).toEqual([
        expect.objectContaining({ type: 'conflicting_check_in', checkInIds: ['C1'] }),
      ]);
      expect(ticketOf(scenario, 'T9')).toEqual({
        ticketId: 'T9',
        records: [],
        checkIns: [],
        deliveries: [],
        discrepancies: [],
      });
    }
  });

  it('reaches the same answers whatever the order of the facts', () => {
    const facts: LedgerEvent[] = [
      deliveryRequested('T1', 'E1', { requestedAt: '2026-05-01T10:00:00Z' }),
      deliveryRequested('T1', 'E2', {
        ticketDeliveryId: 'D2',
        requestedAt: '2026-05-02T10:00:00Z',
      }),
      checkedIn('C1', 'T1', 'E1', { checkedInAt: '2026-05-05T19:00:00Z' }),
      checkedIn('C2', 'T1', 'E1', { checkedInAt: '2026-05-05T19:05:00Z' }),
      checkedIn('C3', 'L1', 'E1'),
      checkedIn('C3', 'X1', 'E1', { contentHash: '0' }),
      ltdTicketIssued(seat('L1', 'A1')),
      ltdTicketIssued(seat('X1', 'A1')),
    ];
    const answersFor = (batches: LedgerEvent[][]) => {
      const scenario = givenEvents(ticketsProjection);
      for (const batch of batches) scenario.when(...batch);
      return ['T1', 'L1', 'X1'].map((code) => ticketOf(scenario, code));
    };
    const reference = answersFor([facts]);
    expect(answersFor([[...facts].reverse()])).toEqual(reference);
    expect(answersFor(facts.map((fact) => [fact]))).toEqual(reference);
    expect(answersFor([...facts].reverse().map((fact) => [fact]))).toEqual(reference);
  });
});
