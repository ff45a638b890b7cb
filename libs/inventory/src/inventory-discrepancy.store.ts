import type { Database, Statement } from 'better-sqlite3';
import { DiscrepancyTable, type Discrepancy, type DiscrepancyRow } from '#projections';

/** True when the columns an upsert does not refresh (it refreshes detail and since) agree. */
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
 * The inventory discrepancies, written by difference: a recomputed performance's wanted
 * set is compared with the rows open for it, so only what changed is written.
 */
export class InventoryDiscrepancyStore {
  private readonly table: DiscrepancyTable;
  private readonly rowsOfPerformance: Statement<[number], DiscrepancyRow>;

  constructor(db: Database, name: string) {
    this.table = new DiscrepancyTable(db, name);
    this.rowsOfPerformance = db.prepare(`SELECT * FROM ${name} WHERE performance_id = ?`);
  }

  syncPerformance(performanceId: number, wanted: readonly Discrepancy[]): void {
    const openById = new Map(this.rowsOfPerformance.all(performanceId).map((row) => [row.id, row]));
    for (const discrepancy of wanted) {
      const row = openById.get(discrepancy.id);
      openById.delete(discrepancy.id);
      if (row !== undefined && sameKeys(row, discrepancy)) {
        if (row.detail === discrepancy.detail && row.since === discrepancy.since) continue;
      } else if (row !== undefined) {
        this.table.close(discrepancy.id);
      }
      this.table.open(discrepancy);
    }
    for (const id of openById.keys()) this.table.close(id);
  }
}
