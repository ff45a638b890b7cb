import type { Database, Statement } from 'better-sqlite3';
import type { TableNamer } from '#projections';
import { auditTables } from './audit.schema.js';

/** Where a receipt is stored, and what the audit read model knows of it. */
export interface IndexedReceipt {
  readonly receiptId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  readonly provider: string | null;
  readonly outcome: string | null;
}

/** The revisions of one stream a receipt caused. */
export interface CausedRange {
  readonly streamId: string;
  readonly fromRevision: number;
  readonly toRevision: number;
}

export interface EventReference {
  readonly streamId: string;
  readonly revision: number;
}

/** A stream's last event as the audit read model has it. */
export interface StreamHeadRow {
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
  readonly position: number;
}

/** Lookups in the audit read model's tables (bound to one build). */
export class AuditIndex {
  private readonly statements: {
    readonly receipt: Statement;
    readonly caused: Statement;
    readonly reprocessing: Statement;
    readonly ticketStreams: Statement;
    readonly headsFrom: Statement;
    readonly headsAfter: Statement;
    readonly head: Statement;
  };

  constructor(db: Database, table: TableNamer) {
    const t = auditTables(table);
    this.statements = {
      receipt: db.prepare(
        `SELECT receipt_id AS receiptId, stream_id AS streamId, revision, position, provider, outcome
         FROM ${t.receipts} WHERE receipt_id = ?`,
      ),
      caused: db.prepare(
        `SELECT stream_id AS streamId, from_revision AS fromRevision, to_revision AS toRevision
         FROM ${t.caused} WHERE receipt_id = ? ORDER BY stream_id`,
      ),
      reprocessing: db.prepare(
        `SELECT stream_id AS streamId, revision FROM ${t.reprocessing}
         WHERE parked_receipt_id = ? ORDER BY position`,
      ),
      ticketStreams: db
        .prepare(
          `SELECT stream_id FROM ${t.ticketStreams} WHERE ticket_code = ?
           ORDER BY first_position, stream_id`,
        )
        .pluck(),
      headsFrom: db.prepare(
        `SELECT stream_id AS streamId, revision, hash, position FROM ${t.heads}
         WHERE stream_id > ? ORDER BY stream_id LIMIT ?`,
      ),
      headsAfter: db.prepare(
        `SELECT stream_id AS streamId, revision, hash, position FROM ${t.heads}
         WHERE position > ? ORDER BY position LIMIT ?`,
      ),
      head: db.prepare(
        `SELECT stream_id AS streamId, revision, hash, position FROM ${t.heads} WHERE stream_id = ?`,
      ),
    };
  }

  receipt(receiptId: string): IndexedReceipt | undefined {
    return this.statements.receipt.get(receiptId) as IndexedReceipt | undefined;
  }

  caused(receiptId: string): CausedRange[] {
    return this.statements.caused.all(receiptId) as CausedRange[];
  }

  /** The `ParkedDeliveryReprocessed` records of a parked receipt, oldest first. */
  reprocessing(parkedReceiptId: string): EventReference[] {
    return this.statements.reprocessing.all(parkedReceiptId) as EventReference[];
  }

  /** The streams recording a ticket code, in the order they first did. */
  ticketStreams(ticketCode: string): string[] {
    return this.statements.ticketStreams.all(ticketCode) as string[];
  }

  /** Up to `limit` heads of the streams after `streamId`, in stream-id order (the key's). */
  headsFrom(streamId: string, limit: number): StreamHeadRow[] {
    return this.statements.headsFrom.all(streamId, limit) as StreamHeadRow[];
  }

  /** Up to `limit` heads whose last event is after `position`, in position order (indexed). */
  headsAfter(position: number, limit = Number.MAX_SAFE_INTEGER): StreamHeadRow[] {
    return this.statements.headsAfter.all(position, limit) as StreamHeadRow[];
  }

  head(streamId: string): StreamHeadRow | undefined {
    return this.statements.head.get(streamId) as StreamHeadRow | undefined;
  }
}
