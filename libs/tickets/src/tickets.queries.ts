import type { Database, Statement } from 'better-sqlite3';
import {
  discrepancyFromRow,
  oldestFirst,
  type Discrepancy,
  type DiscrepancyRow,
  type TableNamer,
} from '#projections';
import { compareDeliveryRequests } from './ticket-code.fold.js';

export type TicketRecord =
  | {
      readonly provider: 'cope';
      readonly status: 'issued';
      /** The event of its newest delivery request. */
      readonly eventId: string;
    }
  | {
      readonly provider: 'ltd';
      readonly status: 'issued' | 'cancelled';
      readonly performanceId: number;
      readonly bookingReference: string;
      readonly seat: string;
      readonly area?: string;
      /** LTD's own status, verbatim (`Purchased`, `Cancelled`, ...). */
      readonly providerStatus: string;
    };

export interface TicketCheckIn {
  readonly checkInId: string;
  readonly eventId: string;
  readonly checkedInAt: string;
  readonly gate?: string;
  readonly scannerSessionId?: string;
  readonly deviceId?: string;
  /** Another delivery carried this check-in with different content (this copy counts). */
  readonly conflicting: boolean;
}

export type TicketDelivery =
  | {
      readonly provider: 'cope';
      readonly ticketDeliveryId: string;
      readonly eventId: string;
      readonly deliveryKind: string | null;
      readonly recipient: string | null;
      readonly requestedAt: string;
    }
  | {
      readonly provider: 'ltd';
      readonly bookingReference: string;
      readonly seat: string;
      readonly area?: string;
      readonly releasedAt: string;
    };

/** `GET /tickets/{ticketId}`. */
export interface TicketAnswer {
  readonly ticketId: string;
  /** COPE first, then LTD seats by booking and seat. */
  readonly records: TicketRecord[];
  /** Counted check-ins, oldest first. */
  readonly checkIns: TicketCheckIn[];
  /** COPE requests newest first, then LTD e-ticket releases oldest first. */
  readonly deliveries: TicketDelivery[];
  /** Oldest first. */
  readonly discrepancies: Discrepancy[];
}

interface RequestRow {
  requested_at_key: string;
  ticket_delivery_id: string;
  event_id: string;
  requested_at: string;
  delivery_kind: string | null;
  recipient: string | null;
}

interface SeatRow {
  booking_reference: string;
  seat: string;
  performance_id: number;
  area: string | null;
  status: string;
  cancelled: number;
}

interface CheckInRow {
  check_in_id: string;
  event_id: string;
  checked_in_at: string;
  gate: string | null;
  scanner_session_id: string | null;
  device_id: string | null;
  conflicted: number;
}

interface EticketRow {
  booking_reference: string;
  seat: string;
  released_at: string;
  area: string | null;
}

/** Reads the tickets read model: indexed lookups by code, nothing aggregated on request. */
export class TicketQueries {
  private readonly requests: Statement;
  private readonly seats: Statement;
  private readonly checkIns: Statement;
  private readonly anyCheckIn: Statement;
  private readonly etickets: Statement;
  private readonly discrepancies: Statement;

  constructor(db: Database, table: TableNamer) {
    this.requests = db.prepare(`SELECT requested_at_key, ticket_delivery_id, event_id, requested_at,
      delivery_kind, recipient FROM ${table('cope_requests')} WHERE ticket_id = ?`);
    this.seats = db.prepare(`SELECT booking_reference, seat, performance_id, area, status, cancelled
      FROM ${table('ltd_seats')} WHERE barcode = ? ORDER BY booking_reference, ticket_key`);
    this.checkIns = db.prepare(`SELECT check_in_id, event_id, checked_in_at, gate,
        scanner_session_id, device_id, conflicted
      FROM ${table('check_ins')} WHERE ticket_id = ? AND counted = 1
      ORDER BY checked_in_key, check_in_id`);
    this.anyCheckIn = db
      .prepare(`SELECT 1 FROM ${table('check_ins')} WHERE ticket_id = ? LIMIT 1`)
      .pluck();
    this.etickets = db.prepare(`SELECT booking_reference, seat, released_at, area
      FROM ${table('etickets')} WHERE barcode = ? ORDER BY released_at, booking_reference, seat`);
    this.discrepancies = db.prepare(
      `SELECT * FROM ${table('discrepancies')} WHERE ticket_id = ? ORDER BY ${oldestFirst(db, table('discrepancies'))}`,
    );
  }

  /**
   * The reconciled ticket, or undefined (404) when no accepted fact mentions the code: no
   * delivery request, LTD seat, check-in or released e-ticket names it.
   */
  ticket(code: string): TicketAnswer | undefined {
    const requests = newestCopies(
      (this.requests.all(code) as RequestRow[])
        .map((row) => ({
          requestedAtKey: row.requested_at_key,
          ticketDeliveryId: row.ticket_delivery_id,
          eventId: row.event_id,
          row,
        }))
        .sort((a, b) => compareDeliveryRequests(b, a)),
    );
    const seats = this.seats.all(code) as SeatRow[];
    const checkIns = this.checkIns.all(code) as CheckInRow[];
    // A released e-ticket mentions its barcode too, even one no transaction lists.
    const etickets = this.etickets.all(code) as EticketRow[];
    if (
      requests.length === 0 &&
      seats.length === 0 &&
      checkIns.length === 0 &&
      etickets.length === 0 &&
      this.anyCheckIn.get(code) === undefined
    ) {
      return undefined;
    }

    const records: TicketRecord[] = [];
    const newest = requests[0];
    if (newest) records.push({ provider: 'cope', status: 'issued', eventId: newest.eventId });
    for (const seat of seats) {
      records.push({
        provider: 'ltd',
        status: seat.cancelled === 1 ? 'cancelled' : 'issued',
        performanceId: seat.performance_id,
        bookingReference: seat.booking_reference,
        seat: seat.seat,
        ...(seat.area === null ? {} : { area: seat.area }),
        providerStatus: seat.status,
      });
    }

    const deliveries: TicketDelivery[] = requests.map(({ row }) => ({
      provider: 'cope',
      ticketDeliveryId: row.ticket_delivery_id,
      eventId: row.event_id,
      deliveryKind: row.delivery_kind,
      recipient: row.recipient,
      requestedAt: row.requested_at,
    }));
    for (const eticket of etickets) {
      deliveries.push({
        provider: 'ltd',
        bookingReference: eticket.booking_reference,
        seat: eticket.seat,
        ...(eticket.area === null ? {} : { area: eticket.area }),
        releasedAt: eticket.released_at,
      });
    }

    return {
      ticketId: code,
      records,
      checkIns: checkIns.map((row) => ({
        checkInId: row.check_in_id,
        eventId: row.event_id,
        checkedInAt: row.checked_in_at,
        ...(row.gate === null ? {} : { gate: row.gate }),
        ...(row.scanner_session_id === null ? {} : { scannerSessionId: row.scanner_session_id }),
        ...(row.device_id === null ? {} : { deviceId: row.device_id }),
        conflicting: row.conflicted === 1,
      })),
      deliveries,
      discrepancies: (this.discrepancies.all(code) as DiscrepancyRow[]).map(discrepancyFromRow),
    };
  }
}

/**
 * The fact store keeps every differing copy of a request (it keys on the time and event
 * too); a ticket's page shows one per `ticketDeliveryId`, the newest — later
 * `requestedAt`, then greater event id — as /deliveries/cope does (reconciliation.md).
 * `sorted` is newest first, so the first copy of each id is the one kept.
 */
function newestCopies<Request extends { readonly ticketDeliveryId: string }>(
  sorted: readonly Request[],
): Request[] {
  const seen = new Set<string>();
  return sorted.filter((request) => {
    if (seen.has(request.ticketDeliveryId)) return false;
    seen.add(request.ticketDeliveryId);
    return true;
  });
}
