import type { Database, Statement } from 'better-sqlite3';
import { DiscrepancyTable, type Discrepancy, type DiscrepancyRow } from '#projections';

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
    this.table.reconcile(this.rowsOfPerformance.all(performanceId), wanted);
  }
}
