import type { Database, Statement } from 'better-sqlite3';
import type { RecordedEvent } from '#event-store';
import type { EticketsReleased } from '#ledger';
import {
  createDiscrepancyTable,
  DiscrepancyTable,
  keyChunks,
  rowsByKey,
  type Projection,
  type ProjectionWriter,
  type TableNamer,
} from '#projections';
import { pairDiscrepancies } from './ticket-code.fold.js';
import {
  createTicketFactTables,
  TICKET_FACT_EVENT_TYPES,
  TicketFactChanges,
  TicketFactStore,
  type TicketCodeState,
} from './ticket-facts.store.js';

interface OpenDiscrepancyRow {
  key_index: number;
  id: string;
  event_id: string;
}

/**
 * The cross-provider ticket ledger (reconciliation.md, "The ticket ledger"): every
 * provider record of a ticket code, its deliveries, its check-ins and the check-in
 * discrepancies that concern it. A batch reconciles only the codes it touched.
 */
export const ticketsProjection: Projection = {
  name: 'tickets',
  // v2: an LTD seat's cancellation or reinstatement updates its performance; discrepancies
  // are listed oldest first by `since_key`.
  version: 2,
  eventTypes: [...TICKET_FACT_EVENT_TYPES, 'EticketsReleased'],

  createTables(db, table) {
    createTicketFactTables(db, table);
    createDiscrepancyTable(db, table('discrepancies'));
    db.exec(`
      CREATE INDEX IF NOT EXISTS ${table('discrepancies')}_by_ticket
        ON ${table('discrepancies')} (ticket_id, since_key, id);
      CREATE TABLE IF NOT EXISTS ${table('etickets')} (
        barcode           TEXT NOT NULL,
        booking_reference TEXT NOT NULL,
        seat              TEXT NOT NULL,
        released_at       TEXT NOT NULL,
        area              TEXT,
        PRIMARY KEY (barcode, booking_reference, seat, released_at)
      ) WITHOUT ROWID;`);
  },

  open(db, table) {
    return new TicketsWriter(db, table);
  },
};

class TicketsWriter implements ProjectionWriter {
  private readonly facts: TicketFactStore;
  private readonly discrepancies: DiscrepancyTable;
  private readonly openDiscrepancies: Statement;
  private readonly insertEticket: Statement;

  constructor(db: Database, table: TableNamer) {
    this.facts = new TicketFactStore(db, table, { details: true });
    this.discrepancies = new DiscrepancyTable(db, table('discrepancies'));
    this.openDiscrepancies = db.prepare(`SELECT k.key AS key_index, d.id, d.event_id
      FROM json_each(?) AS k CROSS JOIN ${table('discrepancies')} AS d ON d.ticket_id = k.value`);
    // Several releases of one seat: the greatest area wins, whatever the order.
    this.insertEticket = db.prepare(`INSERT INTO ${table('etickets')}
        (barcode, booking_reference, seat, released_at, area) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET area = excluded.area
      WHERE coalesce(excluded.area, '') > coalesce(area, '')`);
  }

  apply(events: readonly RecordedEvent[]): void {
    const changes = new TicketFactChanges();
    for (const event of events) {
      if (event.type === 'EticketsReleased') {
        const release = event.data as unknown as EticketsReleased;
        for (const ticket of release.tickets) {
          this.insertEticket.run(
            ticket.barcode,
            release.bookingReference,
            ticket.seat,
            release.releasedAt,
            ticket.area ?? null,
          );
        }
      } else {
        this.facts.record(event, changes);
      }
    }
    // Read for many codes at once: reconciling a code writes only that code's rows.
    for (const codes of keyChunks(changes.codes)) {
      const open = rowsByKey<OpenDiscrepancyRow>(this.openDiscrepancies, codes);
      for (const [code, state] of this.facts.states(codes)) {
        this.reconcile(code, state, open.get(code) ?? []);
      }
    }
  }

  /** Re-derives the code's discrepancies at every event where it has (or had) any. */
  private reconcile(
    code: string,
    { status, counted: checkIns }: TicketCodeState,
    open: readonly OpenDiscrepancyRow[],
  ): void {
    const stale = new Set<string>();
    const eventIds = new Set(checkIns.keys());
    for (const row of open) {
      stale.add(row.id);
      eventIds.add(row.event_id);
    }
    for (const eventId of eventIds) {
      for (const discrepancy of pairDiscrepancies(
        eventId,
        code,
        status,
        checkIns.get(eventId) ?? [],
      )) {
        this.discrepancies.open(discrepancy);
        stale.delete(discrepancy.id);
      }
    }
    for (const id of stale) this.discrepancies.close(id);
  }
}
