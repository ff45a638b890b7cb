import BetterSqlite3 from 'better-sqlite3';
import { createDiscrepancyTable, oldestFirst } from './discrepancy.js';

describe('oldestFirst', () => {
  it('orders by the normalised sender time where the table keeps it, by the text in a table built before it did', () => {
    const db = new BetterSqlite3(':memory:');
    createDiscrepancyTable(db, 'current_discrepancies');
    // The shape of a discrepancy table built before `since_key` (a live build during an upgrade).
    db.exec(`CREATE TABLE earlier_discrepancies (
      id TEXT PRIMARY KEY, type TEXT NOT NULL, provider TEXT NOT NULL, event_id TEXT,
      performance_id INTEGER, booking_reference TEXT, ticket_id TEXT, detail TEXT NOT NULL,
      since TEXT NOT NULL, check_in_ids TEXT) WITHOUT ROWID`);

    expect(oldestFirst(db, 'current_discrepancies')).toBe('since_key, id');
    expect(oldestFirst(db, 'earlier_discrepancies')).toBe('since, id');
    db.close();
  });
});
