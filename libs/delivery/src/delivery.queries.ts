import type { Database, Statement } from 'better-sqlite3';
import {
  discrepancyFromRow,
  DiscrepancyPages,
  oldestFirst,
  type Discrepancy,
  type DiscrepancyRow,
  type TableNamer,
} from '#projections';
import type {
  CopeDelivery,
  CopeDeliveryRequest,
  DiscrepancyFilter,
  DiscrepancyPage,
  LtdDelivery,
} from './delivery.answers.js';
import { deliveryTables } from './delivery.schema.js';
import type { LtdDeliveryStatus } from './ltd-delivery.rules.js';

interface RequestRow {
  event_id: string;
  doc: string;
}

interface BookingRow {
  delivery_type: string | null;
  released_at: string | null;
  status: LtdDeliveryStatus;
}

interface TicketRow {
  barcode: string;
  seat: string;
  area: string | null;
  cancelled: number;
  eticket_available: number;
}

/**
 * Reads of the delivery read model: each answer is a lookup of precomputed rows by key
 * (statements prepared once). An id no accepted fact mentions answers undefined (404).
 */
export class DeliveryQueries {
  private readonly requests: Statement<[string], RequestRow>;
  private readonly copeTicket: Statement<[string], { ticket_id: string }>;
  private readonly booking: Statement<[string], BookingRow>;
  private readonly tickets: Statement<[string], TicketRow>;
  private readonly bookingDiscrepancies: Statement<[string], DiscrepancyRow>;
  private readonly codeDiscrepancies: Statement<[string], DiscrepancyRow>;
  private readonly discrepancyPages: DiscrepancyPages;

  constructor(
    private readonly db: Database,
    table: TableNamer,
  ) {
    const t = deliveryTables(table);
    this.discrepancyPages = new DiscrepancyPages(db, t.discrepancies);
    this.requests = db.prepare(
      `SELECT event_id, doc FROM ${t.copeRequests} WHERE ticket_id = ?
        ORDER BY requested_order DESC, ticket_delivery_id DESC`,
    );
    this.copeTicket = db.prepare(`SELECT ticket_id FROM ${t.copeTickets} WHERE ticket_id = ?`);
    this.booking = db.prepare(
      `SELECT delivery_type, released_at, status FROM ${t.bookings} WHERE booking_reference = ?`,
    );
    this.tickets = db.prepare(
      `SELECT barcode, seat, area, cancelled, eticket_available FROM ${t.bookingTickets}
        WHERE booking_reference = ? ORDER BY barcode, seat, ticket_key`,
    );
    this.bookingDiscrepancies = db.prepare(
      `SELECT * FROM ${t.discrepancies} WHERE booking_reference = ? ORDER BY ${oldestFirst(db, t.discrepancies)}`,
    );
    this.codeDiscrepancies = db.prepare(
      `SELECT * FROM ${t.discrepancies} WHERE ticket_id = ? ORDER BY ${oldestFirst(db, t.discrepancies)}`,
    );
  }

  /** `GET /deliveries/cope/{ticketId}`. */
  cope(ticketId: string): CopeDelivery | undefined {
    const rows = this.requests.all(ticketId);
    const newest = rows[0];
    if (newest === undefined) {
      return this.copeTicket.get(ticketId) === undefined
        ? undefined
        : { ticketId, eventId: null, status: null, requests: [] };
    }
    return {
      ticketId,
      eventId: newest.event_id,
      status: 'requested',
      requests: rows.map((row) => JSON.parse(row.doc) as CopeDeliveryRequest),
    };
  }

  /** `GET /deliveries/ltd/{bookingReference}`. */
  ltd(bookingReference: string): LtdDelivery | undefined {
    const booking = this.booking.get(bookingReference);
    if (booking === undefined) return undefined;
    return {
      bookingReference,
      deliveryType: booking.delivery_type,
      status: booking.status,
      eticketsAvailableAt: booking.released_at,
      tickets: this.tickets.all(bookingReference).map((row) => ({
        barcode: row.barcode,
        seat: row.seat,
        area: row.area,
        status: row.cancelled === 1 ? 'cancelled' : 'issued',
        eticketAvailable: row.eticket_available === 1,
      })),
      discrepancies: this.bookingDiscrepancies.all(bookingReference).map(discrepancyFromRow),
    };
  }

  /** The delivery discrepancies about one ticket code (a barcode), oldest `since` first. */
  ticketDiscrepancies(ticketId: string): Discrepancy[] {
    return this.codeDiscrepancies.all(ticketId).map(discrepancyFromRow);
  }

  /** This read model's part of `GET /discrepancies`: open ones, ordered by id, paged by cursor. */
  discrepancies(filter: DiscrepancyFilter): DiscrepancyPage {
    return this.discrepancyPages.page(filter);
  }
}
