import type { Database, Statement } from 'better-sqlite3';
import { DiscrepancyTable, type Discrepancy, type DiscrepancyRow } from '#projections';

/** True when the row's columns that an upsert does not refresh (only detail and since) agree. */
function sameKeys(row: DiscrepancyRow, wanted: Discrepancy): boolean {
  return (
    row.type === wanted.type &&
    row.provider === wanted.provider &&
    row.event_id === (wanted.eventId ?? null) &&
    row.performance_id === (wanted.performanceId ?? null) &&
    row.booking_reference === (wanted.bookingReference ?? null) &&
    row.ticket_id === (wanted.ticketId ?? null)
  );
}

/**
 * The delivery discrepancies, written by difference: a recomputed key's wanted set is
 * compared with the rows open for that key, so only what changed is written.
 */
export class DeliveryDiscrepancyStore {
  private readonly table: DiscrepancyTable;
  private readonly eticketRowsOfBooking: Statement<[string], DiscrepancyRow>;
  private readonly duplicateRowsOfBarcode: Statement<[string], DiscrepancyRow>;

  constructor(db: Database, name: string) {
    this.table = new DiscrepancyTable(db, name);
    this.eticketRowsOfBooking = db.prepare(
      `SELECT * FROM ${name} WHERE booking_reference = ?
         AND type IN ('eticket_for_unknown_barcode', 'eticket_for_cancelled_ticket')`,
    );
    this.duplicateRowsOfBarcode = db.prepare(
      `SELECT * FROM ${name} WHERE ticket_id = ? AND type = 'duplicate_barcode'`,
    );
  }

  syncEticketDiscrepancies(bookingReference: string, wanted: readonly Discrepancy[]): void {
    this.sync(this.eticketRowsOfBooking.all(bookingReference), wanted);
  }

  syncDuplicateBarcode(barcode: string, wanted: readonly Discrepancy[]): void {
    this.sync(this.duplicateRowsOfBarcode.all(barcode), wanted);
  }

  private sync(open: readonly DiscrepancyRow[], wanted: readonly Discrepancy[]): void {
    const openById = new Map(open.map((row) => [row.id, row]));
    for (const discrepancy of wanted) {
      const row = openById.get(discrepancy.id);
      if (row !== undefined && !sameKeys(row, discrepancy)) this.table.close(discrepancy.id);
      if (
        row === undefined ||
        !sameKeys(row, discrepancy) ||
        row.detail !== discrepancy.detail ||
        row.since !== discrepancy.since
      ) {
        this.table.open(discrepancy);
      }
      openById.delete(discrepancy.id);
    }
    for (const id of openById.keys()) this.table.close(id);
  }
}
