import { discrepancyId } from '#projections';
import {
  checkedIn,
  checkedInWithoutGate,
  copeEventPublished,
  deliveryRequested,
  givenEvents,
  ltdTicketCancelled,
  ltdTicketIssued,
  ltdTicketReinstated,
  type ProjectionScenario,
} from '#testing';
import { attendanceProjection } from './attendance.projection.js';
import { AttendanceQueries } from './attendance.queries.js';

function attendanceOf(scenario: ProjectionScenario, eventId = 'E1') {
  return new AttendanceQueries(scenario.db, scenario.table).event(eventId);
}

function given(...events: Parameters<typeof givenEvents>[1][]) {
  return givenEvents(attendanceProjection, ...events);
}

const seat = (barcode: string, seatName: string, bookingReference = 'B1') => ({
  bookingReference,
  barcode,
  seat: seatName,
});

describe('attendance projection', () => {
  describe('which events answer', () => {
    it('answers undefined (404) for an event no fact mentions', () => {
      expect(attendanceOf(given(deliveryRequested('T1', 'E2')), 'E1')).toBeUndefined();
    });

    it('given only a delivery request, answers with nulls for what is not known yet', () => {
      expect(attendanceOf(given(deliveryRequested('T1', 'E1')))).toEqual({
        eventId: 'E1',
        title: null,
        capacity: null,
        startsAt: null,
        endsAt: null,
        checkIns: 0,
        checkedInTickets: 0,
        duplicateScans: 0,
        expectedTickets: 1,
        noShows: 1,
        unknownTickets: 0,
        cancelledTickets: 0,
        wrongEventTickets: 0,
        overCapacity: false,
        byGate: {},
        discrepancyCounts: {
          unknown_ticket: 0,
          cancelled_ticket: 0,
          wrong_event: 0,
          duplicate_scan: 0,
          conflicting_check_in: 0,
          over_capacity: 0,
        },
        discrepancies: [],
      });
    });

    it('given only a check-in, answers with capacity null and the code unknown', () => {
      expect(attendanceOf(given(checkedIn('C1', 'T1', 'E1')))).toMatchObject({
        capacity: null,
        checkIns: 1,
        unknownTickets: 1,
        overCapacity: false,
      });
    });

    it('answers for an event mentioned only by a superseded delivery request', () => {
      const scenario = given(
        deliveryRequested('T1', 'E1', { requestedAt: '2026-05-01T10:00:00Z' }),
        deliveryRequested('T1', 'E2', {
          ticketDeliveryId: 'D2',
          requestedAt: '2026-05-02T10:00:00Z',
        }),
      );
      expect(attendanceOf(scenario, 'E1')).toMatchObject({ expectedTickets: 0, noShows: 0 });
      expect(attendanceOf(scenario, 'E2')).toMatchObject({ expectedTickets: 1, noShows: 1 });
    });
  });

  describe('publication', () => {
    const older = copeEventPublished('E1', {
      title: 'Old title',
      capacity: 10,
      occurredAt: '2026-04-01T09:00:00Z',
    });
    const newer = copeEventPublished('E1', {
      title: 'New title',
      capacity: 20,
      startsAt: '2026-05-06T18:00:00Z',
      endsAt: '2026-05-06T22:00:00Z',
      occurredAt: '2026-04-02T09:00:00+01:00',
    });

    it.each([
      ['older first', [older, newer]],
      ['newer first', [newer, older]],
    ])('takes title, capacity, start and end from the newest by sender time (%s)', (_, events) => {
      const scenario = given();
      for (const event of events) scenario.when(event);
      expect(attendanceOf(scenario)).toMatchObject({
        title: 'New title',
        capacity: 20,
        startsAt: '2026-05-06T18:00:00Z',
        endsAt: '2026-05-06T22:00:00Z',
      });
    });

    it('breaks a sender-time tie by hash: the greater hash is newer', () => {
      const a = copeEventPublished('E1', { title: 'A', hash: 'aaa' });
      const b = copeEventPublished('E1', { title: 'B', hash: 'bbb' });
      expect(attendanceOf(given(b).when(a))?.title).toBe('B');
      expect(attendanceOf(given(a).when(b))?.title).toBe('B');
    });

    it('given check-ins, when the publication arrives later, then capacity and over-capacity follow', () => {
      const scenario = given(
        checkedIn('C1', 'T1', 'E1', { checkedInAt: '2026-05-05T19:00:00Z' }),
        checkedIn('C2', 'T2', 'E1', { checkedInAt: '2026-05-05T19:01:00Z' }),
      );
      expect(attendanceOf(scenario)).toMatchObject({ capacity: null, overCapacity: false });
      scenario.when(copeEventPublished('E1', { capacity: 1, occurredAt: '2026-05-05T20:00:00Z' }));
      const answer = attendanceOf(scenario);
      expect(answer).toMatchObject({ capacity: 1, overCapacity: true, title: 'Event E1' });
      // The publication, later than the tipping check-in, is the fact that opened it.
      expect(answer?.discrepancies.find((d) => d.type === 'over_capacity')?.since).toBe(
        '2026-05-05T20:00:00Z',
      );
    });
  });

  describe('check-ins', () => {
    it('counts distinct check-in ids, distinct codes, and check-ins per gate ("unknown" without one)', () => {
      const scenario = given(
        deliveryRequested('T1', 'E1'),
        deliveryRequested('T2', 'E1'),
        checkedIn('C1', 'T1', 'E1', { gate: 'North' }),
        checkedIn('C1', 'T1', 'E1', { gate: 'North' }), // the same check-in delivered twice
        checkedIn('C2', 'T2', 'E1', { gate: 'South' }),
        checkedInWithoutGate('C3', 'T2', 'E1'),
      );
      expect(attendanceOf(scenario)).toMatchObject({
        checkIns: 3,
        checkedInTickets: 2,
        duplicateScans: 1,
      });
      expect(attendanceOf(scenario)?.byGate).toEqual({ North: 1, South: 1, unknown: 1 });
      // An identical redelivery is no conflict.
      expect(attendanceOf(scenario)?.discrepancyCounts.conflicting_check_in).toBe(0);
    });

    it('counts expected tickets and no-shows', () => {
      const scenario = given(
        deliveryRequested('T1', 'E1'),
        deliveryRequested('T2', 'E1'),
        deliveryRequested('T3', 'E1'),
        deliveryRequested('T3', 'E1', { ticketDeliveryId: 'D-T3-again' }),
        checkedIn('C1', 'T1', 'E1'),
      );
      expect(attendanceOf(scenario)).toMatchObject({ expectedTickets: 3, noShows: 2 });
    });

    it('lists a duplicate scan once per code, with every check-in, since the scan beyond admissions', () => {
      const scenario = given(
        deliveryRequested('T1', 'E1'),
        checkedIn('C2', 'T1', 'E1', { checkedInAt: '2026-05-05T19:05:00Z' }),
        checkedIn('C1', 'T1', 'E1', { checkedInAt: '2026-05-05T19:00:00Z' }),
        checkedIn('C3', 'T1', 'E1', { checkedInAt: '2026-05-05T19:10:00Z' }),
      );
      const answer = attendanceOf(scenario);
      expect(answer).toMatchObject({ checkIns: 3, checkedInTickets: 1, duplicateScans: 2 });
      expect(answer?.discrepancyCounts.duplicate_scan).toBe(1);
      expect(answer?.discrepancies).toEqual([
        {
          id: discrepancyId('duplicate_scan', 'E1', 'T1'),
          type: 'duplicate_scan',
          provider: 'cope',
          eventId: 'E1',
          ticketId: 'T1',
          detail: expect.any(String) as string,
          since: '2026-05-05T19:05:00Z',
          checkInIds: ['C1', 'C2', 'C3'],
        },
      ]);
    });

    it('given an LTD barcode shared by 3 seats, when it is checked in 4 times, then 1 duplicate scan', () => {
      const scenario = given(
        ltdTicketIssued(seat('B-SHARED', 'A1')),
        ltdTicketIssued(seat('B-SHARED', 'A2')),
        ltdTicketIssued(seat('B-SHARED', 'A3')),
        ...['C1', 'C2', 'C3', 'C4'].map((id, index) =>
          checkedIn(id, 'B-SHARED', 'E1', { checkedInAt: `2026-05-05T19:0${String(index)}:00Z` }),
        ),
      );
      const answer = attendanceOf(scenario);
      expect(answer).toMatchObject({
        checkIns: 4,
        checkedInTickets: 1,
        duplicateScans: 1,
        unknownTickets: 0,
        expectedTickets: 0,
      });
      expect(answer?.discrepancies.map((d) => [d.type, d.since])).toEqual([
        ['duplicate_scan', '2026-05-05T19:03:00Z'],
      ]);
    });
  });

  describe('unknown tickets', () => {
    it('lists an unknown code once, with its check-ins, since its first check-in', () => {
      const scenario = given(
        checkedIn('C1', 'X1', 'E1', { checkedInAt: '2026-05-05T19:00:00Z' }),
        checkedIn('C2', 'X1', 'E1', { checkedInAt: '2026-05-05T19:30:00Z' }),
      );
      const answer = attendanceOf(scenario);
      expect(answer).toMatchObject({ unknownTickets: 1, checkedInTickets: 1, duplicateScans: 1 });
      expect(answer?.discrepancies).toContainEqual({
        id: discrepancyId('unknown_ticket', 'E1', 'X1'),
        type: 'unknown_ticket',
        provider: 'cope',
        eventId: 'E1',
        ticketId: 'X1',
        detail: expect.any(String) as string,
        since: '2026-05-05T19:00:00Z',
        checkInIds: ['C1', 'C2'],
      });
    });

    it('given the senders’ times in several forms, then discrepancies are listed oldest first by the time they name, not by their text', () => {
      const scenario = given(
        checkedIn('C1', 'X1', 'E1', { checkedInAt: '2026-05-05T19:00:00.5Z' }),
        checkedIn('C2', 'X2', 'E1', { checkedInAt: '2026-05-05T19:00:00Z' }),
        checkedIn('C3', 'X3', 'E1', { checkedInAt: '2026-05-05T20:30:00+02:00' }),
      );

      expect(attendanceOf(scenario)?.discrepancies.map((d) => [d.ticketId, d.since])).toEqual([
        ['X3', '2026-05-05T20:30:00+02:00'],
        ['X2', '2026-05-05T19:00:00Z'],
        ['X1', '2026-05-05T19:00:00.5Z'],
      ]);
    });

    it('given a check-in before its delivery request, then it is unknown until the request arrives, then normal', () => {
      const scenario = given(checkedIn('C1', 'T1', 'E1'));
      expect(attendanceOf(scenario)).toMatchObject({ unknownTickets: 1, expectedTickets: 0 });
      scenario.when(deliveryRequested('T1', 'E1'));
      expect(attendanceOf(scenario)).toMatchObject({
        unknownTickets: 0,
        expectedTickets: 1,
        noShows: 0,
        checkedInTickets: 1,
        discrepancies: [],
      });
    });

    it('recognises an LTD barcode scanned at a COPE gate, by exact string equality', () => {
      const scenario = given(
        ltdTicketIssued(seat('00123', 'A1')),
        checkedIn('C1', '00123', 'E1'),
        checkedIn('C2', '123', 'E1'),
        checkedIn('C3', ' 00123', 'E1'),
      );
      const answer = attendanceOf(scenario);
      expect(answer).toMatchObject({ checkedInTickets: 3, unknownTickets: 2 });
      expect(answer?.discrepancies.map((d) => d.ticketId).sort()).toEqual([' 00123', '123']);
    });
  });

  describe('cancelled tickets', () => {
    it('given a cancelled LTD barcode, when it is checked in, then it is a cancelled ticket', () => {
      const scenario = given(
        ltdTicketIssued(seat('L1', 'A1')),
        ltdTicketCancelled(seat('L1', 'A1')),
        checkedIn('C1', 'L1', 'E1'),
      );
      const answer = attendanceOf(scenario);
      expect(answer).toMatchObject({ cancelledTickets: 1, unknownTickets: 0 });
      expect(answer?.discrepancies.map((d) => [d.type, d.id])).toEqual([
        ['cancelled_ticket', discrepancyId('cancelled_ticket', 'E1', 'L1')],
      ]);
    });

    it('given a check-in, when its barcode is cancelled later, then it becomes a cancelled ticket; reinstated, it is normal again', () => {
      const scenario = given(ltdTicketIssued(seat('L1', 'A1')), checkedIn('C1', 'L1', 'E1'));
      expect(attendanceOf(scenario)).toMatchObject({ cancelledTickets: 0, discrepancies: [] });
      scenario.when(ltdTicketCancelled(seat('L1', 'A1'), { reason: 'removed' }));
      expect(attendanceOf(scenario)).toMatchObject({ cancelledTickets: 1 });
      scenario.when(ltdTicketReinstated(seat('L1', 'A1')));
      expect(attendanceOf(scenario)).toMatchObject({ cancelledTickets: 0, discrepancies: [] });
    });

    it('is not cancelled while one seat with the barcode is still issued', () => {
      const scenario = given(
        ltdTicketIssued(seat('L1', 'A1')),
        ltdTicketIssued(seat('L1', 'A2', 'B2')),
        ltdTicketCancelled(seat('L1', 'A1')),
        checkedIn('C1', 'L1', 'E1'),
      );
      expect(attendanceOf(scenario)).toMatchObject({ cancelledTickets: 0, discrepancies: [] });
    });

    it('is not cancelled when a COPE ticket has the same code', () => {
      const scenario = given(
        ltdTicketIssued(seat('T1', 'A1')),
        ltdTicketCancelled(seat('T1', 'A1')),
        deliveryRequested('T1', 'E1'),
        checkedIn('C1', 'T1', 'E1'),
      );
      expect(attendanceOf(scenario)).toMatchObject({ cancelledTickets: 0, expectedTickets: 1 });
    });
  });

  describe('wrong event', () => {
    it('counts a COPE ticket of another event as wrong event, and a no-show at its own', () => {
      const scenario = given(deliveryRequested('T1', 'E2'), checkedIn('C1', 'T1', 'E1'));
      expect(attendanceOf(scenario, 'E1')).toMatchObject({
        wrongEventTickets: 1,
        expectedTickets: 0,
        checkedInTickets: 1,
        discrepancies: [
          expect.objectContaining({
            id: discrepancyId('wrong_event', 'E1', 'T1'),
            type: 'wrong_event',
          }) as unknown,
        ],
      });
      expect(attendanceOf(scenario, 'E2')).toMatchObject({ expectedTickets: 1, noShows: 1 });
    });

    it('given a check-in at its event, when a newer delivery request moves the ticket, then expected counts and wrong event follow', () => {
      const scenario = given(
        deliveryRequested('T1', 'E1', { requestedAt: '2026-05-01T10:00:00Z' }),
        checkedIn('C1', 'T1', 'E1'),
      );
      expect(attendanceOf(scenario, 'E1')).toMatchObject({ expectedTickets: 1, noShows: 0 });

      scenario.when(
        deliveryRequested('T1', 'E2', {
          ticketDeliveryId: 'D2',
          requestedAt: '2026-05-02T10:00:00Z',
        }),
      );
      expect(attendanceOf(scenario, 'E1')).toMatchObject({
        expectedTickets: 0,
        noShows: 0,
        wrongEventTickets: 1,
      });
      expect(attendanceOf(scenario, 'E2')).toMatchObject({ expectedTickets: 1, noShows: 1 });

      // An older request arriving late does not move it back.
      scenario.when(
        deliveryRequested('T1', 'E3', {
          ticketDeliveryId: 'D0',
          requestedAt: '2026-04-30T10:00:00Z',
        }),
      );
      expect(attendanceOf(scenario, 'E1')).toMatchObject({ wrongEventTickets: 1 });
      expect(attendanceOf(scenario, 'E3')).toMatchObject({ expectedTickets: 0 });
    });

    it('orders delivery requests with the same requested_at by ticket_delivery_id', () => {
      const a = deliveryRequested('T1', 'E1', { ticketDeliveryId: 'D1' });
      const b = deliveryRequested('T1', 'E2', { ticketDeliveryId: 'D2' });
      for (const scenario of [given(a, b), given(b, a)]) {
        expect(attendanceOf(scenario, 'E2')).toMatchObject({ expectedTickets: 1 });
        expect(attendanceOf(scenario, 'E1')).toMatchObject({ expectedTickets: 0 });
      }
    });
  });

  describe('conflicting check-ins', () => {
    const copyA = checkedIn('C1', 'T1', 'E1', { gate: 'North', contentHash: 'aaa' });
    const copyB = checkedIn('C1', 'T1', 'E1', { gate: 'South', contentHash: 'bbb' });

    it.each([
      ['smaller hash first', copyA, copyB],
      ['smaller hash last', copyB, copyA],
    ])('counts the copy with the smaller hash and lists the conflict (%s)', (_, first, second) => {
      const scenario = given(deliveryRequested('T1', 'E1'), first).when(second);
      const answer = attendanceOf(scenario);
      expect(answer).toMatchObject({
        checkIns: 1,
        checkedInTickets: 1,
        duplicateScans: 0,
        discrepancyCounts: expect.objectContaining({ conflicting_check_in: 1 }) as unknown,
      });
      expect(answer?.byGate).toEqual({ North: 1 });
      expect(answer?.discrepancies).toEqual([
        expect.objectContaining({
          id: discrepancyId('conflicting_check_in', 'E1', 'T1'),
          type: 'conflicting_check_in',
          checkInIds: ['C1'],
        }),
      ]);
    });

    it('moves the check-in to the event of the counted copy', () => {
      const atE1 = checkedIn('C1', 'T1', 'E1', { contentHash: 'bbb' });
      const atE2 = checkedIn('C1', 'T1', 'E2', { contentHash: 'aaa' });
      const scenario = given(deliveryRequested('T1', 'E1'), atE1);
      expect(attendanceOf(scenario, 'E1')).toMatchObject({ checkIns: 1, byGate: { North: 1 } });
      scenario.when(atE2);
      expect(attendanceOf(scenario, 'E1')).toMatchObject({ checkIns: 0, noShows: 1 });
      expect(attendanceOf(scenario, 'E1')?.byGate).toEqual({});
      expect(attendanceOf(scenario, 'E2')?.byGate).toEqual({ North: 1 });
      expect(attendanceOf(scenario, 'E2')).toMatchObject({
        checkIns: 1,
        wrongEventTickets: 1,
        discrepancyCounts: expect.objectContaining({
          conflicting_check_in: 1,
          wrong_event: 1,
        }) as unknown,
      });
    });
  });

  describe('over capacity', () => {
    it('counts every code that got in, known or not, and closes when the capacity grows', () => {
      const scenario = given(
        copeEventPublished('E1', { capacity: 2, occurredAt: '2026-04-01T09:00:00Z' }),
        deliveryRequested('T1', 'E1'),
        deliveryRequested('T2', 'E1'),
        checkedIn('C1', 'T1', 'E1', { checkedInAt: '2026-05-05T19:00:00Z' }),
        checkedIn('C2', 'T2', 'E1', { checkedInAt: '2026-05-05T19:01:00Z' }),
      );
      expect(attendanceOf(scenario)).toMatchObject({ overCapacity: false });

      scenario.when(checkedIn('C3', 'X9', 'E1', { checkedInAt: '2026-05-05T19:02:00Z' }));
      const over = attendanceOf(scenario);
      expect(over).toMatchObject({ overCapacity: true, checkedInTickets: 3, unknownTickets: 1 });
      expect(over?.discrepancyCounts.over_capacity).toBe(1);
      expect(over?.discrepancies).toContainEqual({
        id: discrepancyId('over_capacity', 'E1'),
        type: 'over_capacity',
        provider: 'cope',
        eventId: 'E1',
        detail: '3 tickets checked in at event E1 for a capacity of 2',
        since: '2026-05-05T19:02:00Z',
      });

      // An earlier check-in arriving late moves the tipping point.
      scenario.when(checkedIn('C0', 'X8', 'E1', { checkedInAt: '2026-05-05T18:00:00Z' }));
      expect(
        attendanceOf(scenario)?.discrepancies.find((d) => d.type === 'over_capacity')?.since,
      ).toBe('2026-05-05T19:01:00Z');

      scenario.when(copeEventPublished('E1', { capacity: 10, occurredAt: '2026-04-02T09:00:00Z' }));
      const grown = attendanceOf(scenario);
      expect(grown).toMatchObject({ overCapacity: false, capacity: 10 });
      expect(grown?.discrepancies.some((d) => d.type === 'over_capacity')).toBe(false);
    });
  });

  describe('discrepancy list', () => {
    it('lists the event discrepancies oldest first, and pages through all of them by id', () => {
      const scenario = given(
        checkedIn('C1', 'X1', 'E1', { checkedInAt: '2026-05-05T19:03:00Z' }),
        checkedIn('C2', 'X2', 'E1', { checkedInAt: '2026-05-05T19:01:00Z' }),
        checkedIn('C3', 'X3', 'E1', { checkedInAt: '2026-05-05T19:02:00Z' }),
        checkedIn('C4', 'X4', 'E2', { checkedInAt: '2026-05-05T19:00:00Z' }),
      );
      expect(attendanceOf(scenario)?.discrepancies.map((d) => d.ticketId)).toEqual([
        'X2',
        'X3',
        'X1',
      ]);

      const queries = new AttendanceQueries(scenario.db, scenario.table);
      const first = queries.discrepancies({ type: 'unknown_ticket', limit: 3 });
      expect(first.items).toHaveLength(3);
      expect(first.next).toBe(first.items[2]?.id);
      const second = queries.discrepancies({
        type: 'unknown_ticket',
        limit: 3,
        after: first.next ?? '',
      });
      expect(second).toEqual({ items: [expect.anything()], next: null });
      const ids = [...first.items, ...second.items].map((d) => d.id);
      expect(ids).toEqual([...ids].sort());

      expect(queries.discrepancies({ eventId: 'E2', limit: 10 }).items).toHaveLength(1);
      expect(
        queries.discrepancies({ eventId: 'E2', type: 'duplicate_scan', limit: 10 }).items,
      ).toHaveLength(0);
      expect(queries.discrepancies({ provider: 'ltd', limit: 10 }).items).toHaveLength(0);
    });
  });
});
