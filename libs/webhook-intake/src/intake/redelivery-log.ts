import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';

export interface Redeliveries {
  readonly count: number;
  readonly lastSeenAt: string | null;
}

/**
 * How often each first receipt was delivered again, and when last. A redelivery
 * appends nothing to the ledger (intake.md), so the counter lives beside it, in this
 * process's own SQLite file; it is bookkeeping, not evidence.
 */
export class RedeliveryLog {
  private readonly db: Database;
  private readonly bump: Statement;
  private readonly read: Statement;

  private constructor(db: Database) {
    this.db = db;
    this.bump = db.prepare(
      `INSERT INTO redeliveries (receipt_id, count, last_seen_at) VALUES (?, 1, ?)
       ON CONFLICT (receipt_id) DO UPDATE SET count = count + 1, last_seen_at = excluded.last_seen_at`,
    );
    this.read = db.prepare('SELECT count, last_seen_at FROM redeliveries WHERE receipt_id = ?');
  }

  static open(file: string): RedeliveryLog {
    mkdirSync(dirname(file), { recursive: true });
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    // A lost increment on power loss is acceptable; an fsync per redelivery is not.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 50');
    db.exec(`CREATE TABLE IF NOT EXISTS redeliveries (
      receipt_id   TEXT PRIMARY KEY,
      count        INTEGER NOT NULL,
      last_seen_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    return new RedeliveryLog(db);
  }

  record(receiptId: string, seenAt: string): void {
    try {
      this.bump.run(receiptId, seenAt);
    } catch {
      // Counting is best effort: a locked file must not fail the redelivery's answer.
    }
  }

  of(receiptId: string): Redeliveries {
    const row = this.read.get(receiptId) as { count: number; last_seen_at: string } | undefined;
    return { count: row?.count ?? 0, lastSeenAt: row?.last_seen_at ?? null };
  }

  close(): void {
    this.db.close();
  }
}
