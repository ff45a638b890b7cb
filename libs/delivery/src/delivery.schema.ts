import type { Database } from 'better-sqlite3';
import { createDiscrepancyTable, type TableNamer } from '#projections';

/** The delivery read model's tables, by role (names carry the projection's version). */
export interface DeliveryTables {
  /** COPE ticket ids some fact mentions (a check-in alone makes a ticket known). */
  readonly copeTickets: string;
  /** One row per COPE delivery request; `doc` is the request as answered. */
  readonly copeRequests: string;
  /**
   * One row per LTD booking: the newest applied transaction (with the ticket keys it
   * lists, as a JSON array), the earliest release, the status.
   */
  readonly bookings: string;
  /** One row per LTD ticket (booking, ticket key). */
  readonly bookingTickets: string;
  /** E-ticket lines released for a booking, each with its earliest release. */
  readonly etickets: string;
  readonly discrepancies: string;
}

export function deliveryTables(table: TableNamer): DeliveryTables {
  return {
    copeTickets: table('cope_tickets'),
    copeRequests: table('cope_requests'),
    bookings: table('bookings'),
    bookingTickets: table('booking_tickets'),
    etickets: table('etickets'),
    discrepancies: table('discrepancies'),
  };
}

export function createDeliveryTables(db: Database, table: TableNamer): void {
  const t = deliveryTables(table);
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${t.copeTickets} (ticket_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.copeRequests} (
      ticket_id          TEXT NOT NULL,
      ticket_delivery_id TEXT NOT NULL,
      requested_order    TEXT NOT NULL,
      event_id           TEXT NOT NULL,
      doc                TEXT NOT NULL,
      PRIMARY KEY (ticket_id, ticket_delivery_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.bookings} (
      booking_reference TEXT PRIMARY KEY,
      delivery_type     TEXT,
      snapshot_order    TEXT,
      snapshot_hash     TEXT,
      snapshot_at       TEXT,
      listed_keys       TEXT NOT NULL DEFAULT '[]',
      released_order    TEXT,
      released_at       TEXT,
      status            TEXT NOT NULL DEFAULT 'pending'
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.bookingTickets} (
      booking_reference TEXT NOT NULL,
      ticket_key        TEXT NOT NULL,
      barcode           TEXT NOT NULL,
      seat              TEXT NOT NULL,
      area              TEXT,
      performance_id    INTEGER NOT NULL,
      cancelled         INTEGER NOT NULL,
      eticket_available INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (booking_reference, ticket_key)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${t.bookingTickets}_by_barcode ON ${t.bookingTickets} (barcode);
    CREATE TABLE IF NOT EXISTS ${t.etickets} (
      booking_reference TEXT NOT NULL,
      barcode           TEXT NOT NULL,
      seat              TEXT NOT NULL,
      released_order    TEXT NOT NULL,
      released_at       TEXT NOT NULL,
      PRIMARY KEY (booking_reference, barcode, seat)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${t.etickets}_by_barcode ON ${t.etickets} (barcode);
  `);
  createDiscrepancyTable(db, t.discrepancies);
  // Per-booking answers and per-barcode recomputation look discrepancies up by these keys.
  db.exec(`
    CREATE INDEX IF NOT EXISTS ${t.discrepancies}_by_booking
      ON ${t.discrepancies} (booking_reference, since_key, id);
    CREATE INDEX IF NOT EXISTS ${t.discrepancies}_by_ticket ON ${t.discrepancies} (ticket_id, id);
  `);
}
