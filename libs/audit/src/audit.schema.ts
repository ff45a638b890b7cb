import type { Database } from 'better-sqlite3';
import type { TableNamer } from '#projections';

/** The audit read model's tables (names carry the projection's version and build). */
export interface AuditTables {
  /** The last event of every stream (`audit-checkpoints` aside): what checkpoints attest. */
  readonly heads: string;
  /** Every receipt (`WebhookReceived`): where it is stored and what became of it. */
  readonly receipts: string;
  /** The revisions each receipt caused (metadata.causationId), per stream. */
  readonly caused: string;
  /** `ParkedDeliveryReprocessed` records, by the parked receipt they re-ran. */
  readonly reprocessing: string;
  /** Ticket code → the streams that record it. */
  readonly ticketStreams: string;
}

export function auditTables(table: TableNamer): AuditTables {
  return {
    heads: table('heads'),
    receipts: table('receipts'),
    caused: table('caused'),
    reprocessing: table('reprocessing'),
    ticketStreams: table('ticket_streams'),
  };
}

export function createAuditTables(db: Database, table: TableNamer): void {
  const t = auditTables(table);
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${t.heads} (
      stream_id TEXT    PRIMARY KEY,
      revision  INTEGER NOT NULL,
      hash      TEXT    NOT NULL,
      position  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${table('heads_by_position')} ON ${t.heads} (position);
    CREATE TABLE IF NOT EXISTS ${t.receipts} (
      receipt_id    TEXT    PRIMARY KEY,
      stream_id     TEXT    NOT NULL,
      revision      INTEGER NOT NULL,
      position      INTEGER NOT NULL,
      provider      TEXT,
      message_type  TEXT,
      outcome       TEXT,
      parked_reason TEXT,
      received_at   TEXT,
      reprocess_of  TEXT
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.caused} (
      receipt_id    TEXT    NOT NULL,
      stream_id     TEXT    NOT NULL,
      from_revision INTEGER NOT NULL,
      to_revision   INTEGER NOT NULL,
      PRIMARY KEY (receipt_id, stream_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.reprocessing} (
      parked_receipt_id TEXT    NOT NULL,
      position          INTEGER NOT NULL,
      stream_id         TEXT    NOT NULL,
      revision          INTEGER NOT NULL,
      PRIMARY KEY (parked_receipt_id, position)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${t.ticketStreams} (
      ticket_code    TEXT    NOT NULL,
      stream_id      TEXT    NOT NULL,
      first_position INTEGER NOT NULL,
      PRIMARY KEY (ticket_code, stream_id)
    ) WITHOUT ROWID;`);
}
