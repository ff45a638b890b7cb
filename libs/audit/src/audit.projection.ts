import type { Database, Statement } from 'better-sqlite3';
import type { JsonObject, RecordedEvent } from '#event-store';
import { AUDIT_CHECKPOINTS_STREAM, type LedgerEventType } from '#ledger';
import type { Projection, ProjectionWriter } from '#projections';
import { auditTables, createAuditTables } from './audit.schema.js';

/**
 * Every type of the event catalogue: stream heads must see every event. Typed as a
 * record so that a type added to the catalogue fails compilation until it is listed.
 */
const CATALOGUE: Record<LedgerEventType, true> = {
  WebhookReceived: true,
  ParkedDeliveryReprocessed: true,
  SnapshotSuperseded: true,
  TicketDeliveryRequested: true,
  TicketCheckedIn: true,
  CopeEventPublished: true,
  LtdEventChanged: true,
  BookingTicketIssued: true,
  BookingTicketCancelled: true,
  BookingTicketReinstated: true,
  BookingDetailsChanged: true,
  BookingSnapshotApplied: true,
  EticketsReleased: true,
  AffiliateOptInRecorded: true,
  PerformanceAvailabilityReported: true,
  TicketTypeReported: true,
};

export const AUDITED_EVENT_TYPES: readonly string[] = Object.keys(CATALOGUE);

/**
 * The audit read model: what the audit routes look up without scanning the log —
 * receipt → where it is stored, the events each receipt caused, ticket code → the
 * streams recording it — and the head of every stream, from which the integrity
 * checkpointer takes what changed. The events themselves stay in the store: the
 * routes read them from there, as stored.
 */
export const auditProjection: Projection = {
  name: 'audit',
  version: 1,
  eventTypes: AUDITED_EVENT_TYPES,
  createTables: createAuditTables,
  open(db, table) {
    return new AuditWriter(db, auditTables(table));
  },
};

interface CausedRange {
  readonly receiptId: string;
  readonly streamId: string;
  from: number;
  to: number;
}

class AuditWriter implements ProjectionWriter {
  private readonly upsertHead: Statement;
  private readonly insertReceipt: Statement;
  private readonly upsertCaused: Statement;
  private readonly insertReprocessing: Statement;
  private readonly insertTicketStream: Statement;

  constructor(db: Database, t: ReturnType<typeof auditTables>) {
    this.upsertHead = db.prepare(
      `INSERT INTO ${t.heads} (stream_id, revision, hash, position) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, hash = excluded.hash,
         position = excluded.position
       WHERE excluded.position > ${t.heads}.position`,
    );
    this.insertReceipt = db.prepare(
      `INSERT OR IGNORE INTO ${t.receipts} (receipt_id, stream_id, revision, position, provider,
         message_type, outcome, parked_reason, received_at, reprocess_of)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertCaused = db.prepare(
      `INSERT INTO ${t.caused} (receipt_id, stream_id, from_revision, to_revision) VALUES (?, ?, ?, ?)
       ON CONFLICT (receipt_id, stream_id) DO UPDATE SET
         from_revision = MIN(from_revision, excluded.from_revision),
         to_revision = MAX(to_revision, excluded.to_revision)`,
    );
    this.insertReprocessing = db.prepare(
      `INSERT OR IGNORE INTO ${t.reprocessing} (parked_receipt_id, position, stream_id, revision)
       VALUES (?, ?, ?, ?)`,
    );
    this.insertTicketStream = db.prepare(
      `INSERT OR IGNORE INTO ${t.ticketStreams} (ticket_code, stream_id, first_position)
       VALUES (?, ?, ?)`,
    );
  }

  /** Gathers per batch what can be: one head and one caused range per stream. */
  apply(events: readonly RecordedEvent[]): void {
    const heads = new Map<string, RecordedEvent>();
    const caused = new Map<string, CausedRange>();
    for (const event of events) {
      if (event.streamId !== AUDIT_CHECKPOINTS_STREAM) heads.set(event.streamId, event);
      if (event.type === 'WebhookReceived') this.receipt(event);
      const causationId = event.metadata['causationId'];
      if (typeof causationId === 'string') {
        const key = `${causationId}\u0000${event.streamId}`;
        const range = caused.get(key);
        if (range) {
          range.from = Math.min(range.from, event.revision);
          range.to = Math.max(range.to, event.revision);
        } else {
          caused.set(key, {
            receiptId: causationId,
            streamId: event.streamId,
            from: event.revision,
            to: event.revision,
          });
        }
      }
      if (event.type === 'ParkedDeliveryReprocessed') {
        const parked = event.data['parkedReceiptId'];
        if (typeof parked === 'string') {
          this.insertReprocessing.run(parked, event.position, event.streamId, event.revision);
        }
      }
      for (const code of ticketCodes(event)) {
        this.insertTicketStream.run(code, event.streamId, event.position);
      }
    }
    for (const event of heads.values()) {
      const hash = event.metadata['hash'];
      this.upsertHead.run(
        event.streamId,
        event.revision,
        typeof hash === 'string' ? hash : '',
        event.position,
      );
    }
    for (const range of caused.values()) {
      this.upsertCaused.run(range.receiptId, range.streamId, range.from, range.to);
    }
  }

  private receipt(event: RecordedEvent): void {
    const { data } = event;
    this.insertReceipt.run(
      event.id,
      event.streamId,
      event.revision,
      event.position,
      text(data, 'provider'),
      text(data, 'messageType'),
      text(data, 'outcome'),
      text(data, 'parkedReason'),
      text(data, 'receivedAt'),
      text(data, 'reprocessOf'),
    );
  }
}

/**
 * The ticket codes an event records: a COPE ticket_id (delivery requests and
 * check-ins), an LTD barcode (issued, cancelled, reinstated), the barcodes of an
 * e-ticket release.
 */
export function ticketCodes(event: RecordedEvent): string[] {
  const { data } = event;
  switch (event.type) {
    case 'TicketDeliveryRequested':
    case 'TicketCheckedIn':
      return present(text(data, 'ticketId'));
    case 'BookingTicketIssued':
    case 'BookingTicketCancelled':
    case 'BookingTicketReinstated':
      return present(text(data, 'barcode'));
    case 'EticketsReleased': {
      const tickets = data['tickets'];
      if (!Array.isArray(tickets)) return [];
      const codes = new Set<string>();
      for (const ticket of tickets) {
        if (typeof ticket === 'object' && ticket !== null && !Array.isArray(ticket)) {
          for (const code of present(text(ticket, 'barcode'))) codes.add(code);
        }
      }
      return [...codes];
    }
    default:
      return [];
  }
}

function text(data: JsonObject, key: string): string | null {
  const value = data[key];
  return typeof value === 'string' ? value : null;
}

function present(value: string | null): string[] {
  return value === null || value === '' ? [] : [value];
}
