import type { Database } from 'better-sqlite3';
import { createDiscrepancyTable, type TableNamer } from '#projections';

/** The inventory read model's tables, by role (names carry the projection's version). */
export interface InventoryTables {
  /** One row per COPE event: the newest `event.published`, and the issued / checked-in counters. */
  readonly copeEvents: string;
  /** One row per COPE ticket: its newest delivery request, which decides its event. */
  readonly copeTickets: string;
  /** Distinct (event, ticket code) checked in, with how many counted check-ins name them. */
  readonly copeCheckIns: string;
  /**
   * Every distinct copy of every check-in (one `check_in_id` may come with different
   * content): the copy with the smallest content hash is the one that counts.
   */
  readonly copeCheckInCopies: string;
  /** One row per LTD performance: the newest `PerformanceChanged` and the affiliate counters. */
  readonly performances: string;
  /** One row per LTD ticket (booking, ticket key): its performance and whether it is cancelled. */
  readonly bookingTickets: string;
  /** One row per Ingresse ticket type: its newest snapshot and its share of its event's total. */
  readonly ticketTypes: string;
  /** One row per Ingresse event: the total quantity. */
  readonly ingresseEvents: string;
  readonly discrepancies: string;
}

export function inventoryTables(table: TableNamer): InventoryTables {
  return {
    copeEvents: table('cope_events'),
    copeTickets: table('cope_tickets'),
    copeCheckIns: table('cope_check_ins'),
    copeCheckInCopies: table('cope_check_in_copies'),
    performances: table('performances'),
    bookingTickets: table('booking_tickets'),
    ticketTypes: table('ticket_types'),
    ingresseEvents: table('ingresse_events'),
    discrepancies: table('discrepancies'),
  };
}

export function createInventoryTables(db: Database, table: TableNamer): void {
  const t = inventoryTables(table);
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${t.copeEvents} (
      event_id        TEXT PRIMARY KEY,
      capacity        INTEGER,
      published_order TEXT,
      published_hash  TEXT,
      issued          INTEGER NOT NULL DEFAULT 0,
      checked_in      INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.copeTickets} (
      ticket_id          TEXT PRIMARY KEY,
      event_id           TEXT NOT NULL,
      request_order      TEXT NOT NULL,
      ticket_delivery_id TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.copeCheckIns} (
      event_id  TEXT    NOT NULL,
      ticket_id TEXT    NOT NULL,
      check_ins INTEGER NOT NULL,
      PRIMARY KEY (event_id, ticket_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.copeCheckInCopies} (
      check_in_id  TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      event_id     TEXT NOT NULL,
      ticket_id    TEXT NOT NULL,
      PRIMARY KEY (check_in_id, content_hash)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.performances} (
      performance_id      INTEGER PRIMARY KEY,
      event_id            INTEGER,
      booked_event_id     INTEGER,
      total_seats         INTEGER,
      available_seats     INTEGER,
      disabled            INTEGER,
      has_offer           INTEGER,
      reported_at         TEXT,
      report_order        TEXT,
      report_hash         TEXT,
      affiliate_issued    INTEGER NOT NULL DEFAULT 0,
      affiliate_cancelled INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS ${t.bookingTickets} (
      booking_reference TEXT NOT NULL,
      ticket_key        TEXT NOT NULL,
      performance_id    INTEGER NOT NULL,
      cancelled         INTEGER NOT NULL,
      PRIMARY KEY (booking_reference, ticket_key)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.ticketTypes} (
      id                 INTEGER PRIMARY KEY,
      event_id           INTEGER NOT NULL,
      name               TEXT,
      type               TEXT NOT NULL,
      parent_id          INTEGER,
      quantity           INTEGER NOT NULL,
      price              REAL,
      final_price        REAL,
      available          INTEGER,
      hidden             INTEGER,
      archived           INTEGER,
      salable            INTEGER,
      event_dates        TEXT NOT NULL,
      reported_at        TEXT NOT NULL,
      sender_time        TEXT NOT NULL,
      rank               INTEGER NOT NULL,
      hash               TEXT NOT NULL,
      contribution       INTEGER NOT NULL DEFAULT 0,
      contribution_event INTEGER
    );
    CREATE INDEX IF NOT EXISTS ${t.ticketTypes}_by_event ON ${t.ticketTypes} (event_id, id);
    CREATE INDEX IF NOT EXISTS ${t.ticketTypes}_by_parent ON ${t.ticketTypes} (parent_id);
    CREATE TABLE IF NOT EXISTS ${t.ingresseEvents} (
      event_id       INTEGER PRIMARY KEY,
      total_quantity INTEGER NOT NULL DEFAULT 0
    );
  `);
  createDiscrepancyTable(db, t.discrepancies);
  // A performance's answer lists its own discrepancies.
  db.exec(`CREATE INDEX IF NOT EXISTS ${t.discrepancies}_by_performance
    ON ${t.discrepancies} (performance_id, since_key, id);`);
}
