import { discrepancyId } from '#projections';
import {
  checkInCategory,
  countedCopy,
  newestDeliveryRequest,
  pairContribution,
  pairDiscrepancies,
  ticketCodeStatus,
  type CountedCheckIn,
} from './ticket-code.fold.js';

const checkIn = (checkInId: string, minute: number, conflicted = false): CountedCheckIn => ({
  checkInId,
  checkedInAt: `2026-05-05T19:${String(minute).padStart(2, '0')}:00Z`,
  checkedInKey: `2026-05-05T19:${String(minute).padStart(2, '0')}:00.000000000000`,
  conflicted,
});

describe('ticket code fold', () => {
  describe('status', () => {
    it('a code no provider issued is unknown, admitting one', () => {
      expect(
        ticketCodeStatus({ copeEventId: undefined, ltdSeats: 0, ltdCancelledSeats: 0 }),
      ).toEqual({ known: false, cancelled: false, copeEventId: null, admissions: 1 });
    });

    it('a COPE ticket belongs to its event and admits one', () => {
      expect(ticketCodeStatus({ copeEventId: 'E1', ltdSeats: 0, ltdCancelledSeats: 0 })).toEqual({
        known: true,
        cancelled: false,
        copeEventId: 'E1',
        admissions: 1,
      });
    });

    it('an LTD barcode admits its live seats', () => {
      expect(
        ticketCodeStatus({ copeEventId: undefined, ltdSeats: 3, ltdCancelledSeats: 1 }),
      ).toEqual({ known: true, cancelled: false, copeEventId: null, admissions: 2 });
    });

    it('an LTD barcode is cancelled when every seat is, and no COPE record has the code', () => {
      expect(
        ticketCodeStatus({ copeEventId: undefined, ltdSeats: 2, ltdCancelledSeats: 2 }),
      ).toMatchObject({ known: true, cancelled: true });
      expect(
        ticketCodeStatus({ copeEventId: 'E1', ltdSeats: 2, ltdCancelledSeats: 2 }),
      ).toMatchObject({ known: true, cancelled: false, admissions: 1 });
    });
  });

  describe('categories, exclusive in the order unknown → cancelled → wrong event', () => {
    it.each([
      [{ copeEventId: undefined, ltdSeats: 0, ltdCancelledSeats: 0 }, 'unknown'],
      [{ copeEventId: undefined, ltdSeats: 1, ltdCancelledSeats: 1 }, 'cancelled'],
      [{ copeEventId: 'E2', ltdSeats: 1, ltdCancelledSeats: 1 }, 'wrong_event'],
      [{ copeEventId: 'E1', ltdSeats: 0, ltdCancelledSeats: 0 }, 'ok'],
      [{ copeEventId: undefined, ltdSeats: 1, ltdCancelledSeats: 0 }, 'ok'],
    ] as const)('%j at E1 → %s', (facts, category) => {
      expect(checkInCategory(ticketCodeStatus(facts), 'E1')).toBe(category);
    });
  });

  it('the newest delivery request is by requested_at, then ticket_delivery_id', () => {
    const requests = [
      { requestedAtKey: '2026-05-02', ticketDeliveryId: 'D1', eventId: 'E1' },
      { requestedAtKey: '2026-05-02', ticketDeliveryId: 'D2', eventId: 'E2' },
      { requestedAtKey: '2026-05-01', ticketDeliveryId: 'D9', eventId: 'E3' },
    ];
    expect(newestDeliveryRequest(requests)?.eventId).toBe('E2');
    expect(newestDeliveryRequest([...requests].reverse())?.eventId).toBe('E2');
    expect(newestDeliveryRequest<(typeof requests)[number]>([])).toBeUndefined();
  });

  it('of conflicting copies, the smallest content hash counts', () => {
    const copies = [
      { checkInId: 'C1', contentHash: 'b' },
      { checkInId: 'C1', contentHash: 'a' },
      { checkInId: 'C1', contentHash: 'c' },
    ];
    expect(countedCopy(copies)?.contentHash).toBe('a');
  });

  it('a pair contributes its check-ins, duplicates beyond admissions and whether it is expected', () => {
    const status = ticketCodeStatus({ copeEventId: undefined, ltdSeats: 3, ltdCancelledSeats: 0 });
    const checkIns = [checkIn('C4', 3), checkIn('C1', 0), checkIn('C2', 1), checkIn('C3', 2)];
    expect(pairContribution(status, 'E1', checkIns)).toEqual({
      checkIns: 4,
      category: 'ok',
      duplicateScans: 1,
      expected: false,
      conflicted: 0,
      firstKey: '2026-05-05T19:00:00.000000000000',
      firstAt: '2026-05-05T19:00:00Z',
    });
    const cope = ticketCodeStatus({ copeEventId: 'E1', ltdSeats: 0, ltdCancelledSeats: 0 });
    expect(pairContribution(cope, 'E1', [])).toMatchObject({
      checkIns: 0,
      category: null,
      expected: true,
    });
  });

  it('lists one discrepancy per type for a pair, with stable ids', () => {
    const unknown = ticketCodeStatus({ copeEventId: undefined, ltdSeats: 0, ltdCancelledSeats: 0 });
    const found = pairDiscrepancies('E1', 'X1', unknown, [
      checkIn('C2', 5, true),
      checkIn('C1', 1),
    ]);
    expect(found.map((d) => [d.type, d.id, d.since, d.checkInIds])).toEqual([
      [
        'unknown_ticket',
        discrepancyId('unknown_ticket', 'E1', 'X1'),
        '2026-05-05T19:01:00Z',
        ['C1', 'C2'],
      ],
      [
        'duplicate_scan',
        discrepancyId('duplicate_scan', 'E1', 'X1'),
        '2026-05-05T19:05:00Z',
        ['C1', 'C2'],
      ],
      [
        'conflicting_check_in',
        discrepancyId('conflicting_check_in', 'E1', 'X1'),
        '2026-05-05T19:05:00Z',
        ['C2'],
      ],
    ]);
    expect(pairDiscrepancies('E1', 'X1', unknown, [])).toEqual([]);
  });
});
