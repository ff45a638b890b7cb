import type { Database, Statement } from 'better-sqlite3';
import { DiscrepancyTable, type Discrepancy, type DiscrepancyRow } from '#projections';

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
    this.table.reconcile(open, wanted);
  }
}
