import type { Database, Statement } from 'better-sqlite3';
import type { RecordedEvent } from '#event-store';
import {
  normaliseSenderTime,
  type BookingTicketCancelled,
  type BookingTicketIssued,
  type BookingTicketReinstated,
  type TicketCheckedIn,
  type TicketDeliveryRequested,
} from '#ledger';
import { rowsByKey, type TableNamer } from '#projections';
import {
  countedCopy,
  newestDeliveryRequest,
  ticketCodeStatus,
  type CountedCheckIn,
  type TicketCodeStatus,
} from './ticket-code.fold.js';

/**
 * The base facts the ticket-code fold reads, stored normalised in tables of the read model
 * that owns the store (each read model keeps its own copy, so each can be rebuilt alone):
 * COPE delivery requests, LTD tickets, and every distinct copy of every check-in.
 */
export const TICKET_FACT_EVENT_TYPES = [
  'TicketDeliveryRequested',
  'TicketCheckedIn',
  'BookingTicketIssued',
  'BookingTicketCancelled',
  'BookingTicketReinstated',
] as const;

export function createTicketFactTables(db: Database, table: TableNamer): void {
  const requests = table('cope_requests');
  const seats = table('ltd_seats');
  const checkIns = table('check_ins');
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${requests} (
      ticket_id          TEXT NOT NULL,
      requested_at_key   TEXT NOT NULL,
      ticket_delivery_id TEXT NOT NULL,
      event_id           TEXT NOT NULL,
      requested_at       TEXT NOT NULL,
      delivery_kind      TEXT,
      recipient          TEXT,
      PRIMARY KEY (ticket_id, requested_at_key, ticket_delivery_id, event_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ${seats} (
      booking_reference TEXT    NOT NULL,
      ticket_key        TEXT    NOT NULL,
      barcode           TEXT    NOT NULL,
      seat              TEXT    NOT NULL,
      performance_id    INTEGER NOT NULL,
      ltd_event_id      INTEGER,
      area              TEXT,
      status            TEXT    NOT NULL,
      cancelled         INTEGER NOT NULL,
      PRIMARY KEY (booking_reference, ticket_key)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${seats}_by_barcode ON ${seats} (barcode, cancelled);
    CREATE TABLE IF NOT EXISTS ${checkIns} (
      check_in_id        TEXT    NOT NULL,
      content_hash       TEXT    NOT NULL,
      ticket_id          TEXT    NOT NULL,
      event_id           TEXT    NOT NULL,
      checked_in_at      TEXT    NOT NULL,
      checked_in_key     TEXT    NOT NULL,
      gate               TEXT,
      scanner_session_id TEXT,
      device_id          TEXT,
      counted            INTEGER NOT NULL,
      conflicted         INTEGER NOT NULL,
      PRIMARY KEY (check_in_id, content_hash)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${checkIns}_by_code
      ON ${checkIns} (ticket_id, event_id, counted, checked_in_key);`);
}

/** A counted copy of a check-in, as the read models aggregate it. */
export interface CountedCheckInRef {
  readonly checkInId: string;
  readonly ticketId: string;
  readonly eventId: string;
  readonly gate: string | null;
}

/** What one batch changed, for the owner to reconcile once per code and event. */
export class TicketFactChanges {
  /** Codes whose status or check-ins may have changed. */
  readonly codes = new Set<string>();
  /** Every COPE event id a fact of the batch mentions. */
  readonly events = new Set<string>();
  /** Check-ins that started or stopped counting (a copy with a smaller hash took over). */
  readonly counted: { readonly removed?: CountedCheckInRef; readonly added: CountedCheckInRef }[] =
    [];
}

export interface TicketFactStoreOptions {
  /** Keep what only a ticket's own page shows (recipients, scanner sessions, devices). */
  readonly details?: boolean;
}

interface CopyRow {
  content_hash: string;
  ticket_id: string;
  event_id: string;
  gate: string | null;
  counted: number;
}

/** What the fold reads about one code. */
export interface TicketCodeState {
  readonly status: TicketCodeStatus;
  /** Its counted check-ins by COPE event, oldest first. */
  readonly counted: Map<string, CountedCheckIn[]>;
}

interface RequestRow {
  key_index: number;
  requested_at_key: string;
  ticket_delivery_id: string;
  event_id: string;
}

interface SeatCountRow {
  key_index: number;
  seats: number;
  cancelled: number;
}

interface CountedRow {
  key_index: number;
  event_id: string;
  check_in_id: string;
  checked_in_at: string;
  checked_in_key: string;
  conflicted: number;
}

/** Writes and reads the base facts of one read model (statements prepared once). */
export class TicketFactStore {
  private readonly details: boolean;
  private readonly insertRequest: Statement;
  private readonly selectRequests: Statement;
  private readonly issueSeat: Statement;
  private readonly cancelSeat: Statement;
  private readonly reinstateSeat: Statement;
  private readonly countSeats: Statement;
  private readonly selectCopies: Statement;
  private readonly insertCopy: Statement;
  private readonly setCounted: Statement;
  private readonly setConflicted: Statement;
  private readonly selectCounted: Statement;

  constructor(db: Database, table: TableNamer, options: TicketFactStoreOptions = {}) {
    this.details = options.details ?? false;
    const requests = table('cope_requests');
    const seats = table('ltd_seats');
    const checkIns = table('check_ins');
    // A redelivered request with other details keeps the greatest, whatever the order.
    this.insertRequest = db.prepare(`INSERT INTO ${requests}
        (ticket_id, requested_at_key, ticket_delivery_id, event_id, requested_at, delivery_kind, recipient)
        VALUES (@ticketId, @requestedAtKey, @ticketDeliveryId, @eventId, @requestedAt, @deliveryKind, @recipient)
      ON CONFLICT DO UPDATE SET requested_at = excluded.requested_at,
        delivery_kind = excluded.delivery_kind, recipient = excluded.recipient
      WHERE (excluded.requested_at, coalesce(excluded.delivery_kind, ''), coalesce(excluded.recipient, ''))
        > (requested_at, coalesce(delivery_kind, ''), coalesce(recipient, ''))`);
    // The reads take a batch's codes as one JSON array (see rowsByKey).
    this.selectRequests = db.prepare(`SELECT k.key AS key_index, r.requested_at_key,
        r.ticket_delivery_id, r.event_id
      FROM json_each(?) AS k CROSS JOIN ${requests} AS r ON r.ticket_id = k.value`);
    this.issueSeat = db.prepare(`INSERT INTO ${seats}
        (booking_reference, ticket_key, barcode, seat, performance_id, ltd_event_id, area, status, cancelled)
        VALUES (@bookingReference, @ticketKey, @barcode, @seat, @performanceId, @ltdEventId, @area, @status, 0)
      ON CONFLICT DO UPDATE SET performance_id = excluded.performance_id,
        ltd_event_id = excluded.ltd_event_id, area = excluded.area, status = excluded.status,
        cancelled = 0`);
    // A cancellation or reinstatement names the ticket's performance too (the ledger issues
    // it again first when its other details change): the row ends as the events leave it.
    this.cancelSeat = db.prepare(`INSERT INTO ${seats}
        (booking_reference, ticket_key, barcode, seat, performance_id, status, cancelled)
        VALUES (@bookingReference, @ticketKey, @barcode, @seat, @performanceId, 'Cancelled', 1)
      ON CONFLICT DO UPDATE SET cancelled = 1, performance_id = excluded.performance_id,
        status = CASE WHEN @reason = 'status' THEN 'Cancelled' ELSE status END`);
    this.reinstateSeat = db.prepare(`INSERT INTO ${seats}
        (booking_reference, ticket_key, barcode, seat, performance_id, status, cancelled)
        VALUES (@bookingReference, @ticketKey, @barcode, @seat, @performanceId, @status, 0)
      ON CONFLICT DO UPDATE SET cancelled = 0, performance_id = excluded.performance_id,
        status = excluded.status`);
    this.countSeats = db.prepare(`SELECT k.key AS key_index, count(*) AS seats,
        coalesce(sum(s.cancelled), 0) AS cancelled
      FROM json_each(?) AS k CROSS JOIN ${seats} AS s ON s.barcode = k.value GROUP BY k.key`);
    this.selectCopies = db.prepare(
      `SELECT content_hash, ticket_id, event_id, gate, counted FROM ${checkIns} WHERE check_in_id = ?`,
    );
    this.insertCopy = db.prepare(`INSERT INTO ${checkIns}
        (check_in_id, content_hash, ticket_id, event_id, checked_in_at, checked_in_key, gate,
         scanner_session_id, device_id, counted, conflicted)
        VALUES (@checkInId, @contentHash, @ticketId, @eventId, @checkedInAt, @checkedInKey, @gate,
         @scannerSessionId, @deviceId, @counted, @conflicted)`);
    this.setCounted = db.prepare(
      `UPDATE ${checkIns} SET counted = ? WHERE check_in_id = ? AND content_hash = ?`,
    );
    this.setConflicted = db.prepare(`UPDATE ${checkIns} SET conflicted = 1 WHERE check_in_id = ?`);
    this.selectCounted = db.prepare(`SELECT k.key AS key_index, c.event_id, c.check_in_id,
        c.checked_in_at, c.checked_in_key, c.conflicted
      FROM json_each(?) AS k CROSS JOIN ${checkIns} AS c ON c.ticket_id = k.value
      WHERE c.counted = 1
      ORDER BY k.key, c.event_id, c.checked_in_key, c.check_in_id`);
  }

  /** Records one event's facts (other types are ignored) and notes what it touched. */
  record(event: RecordedEvent, changes: TicketFactChanges): void {
    switch (event.type) {
      case 'TicketDeliveryRequested':
        this.recordRequest(event.data as unknown as TicketDeliveryRequested, changes);
        break;
      case 'TicketCheckedIn':
        this.recordCheckIn(event.data as unknown as TicketCheckedIn, changes);
        break;
      case 'BookingTicketIssued': {
        const issued = event.data as unknown as BookingTicketIssued;
        this.issueSeat.run({
          ...seatKey(issued),
          performanceId: issued.performanceId,
          ltdEventId: issued.eventId ?? null,
          area: issued.area ?? null,
          status: issued.status,
        });
        changes.codes.add(issued.barcode);
        break;
      }
      case 'BookingTicketCancelled': {
        const cancelled = event.data as unknown as BookingTicketCancelled;
        this.cancelSeat.run({
          ...seatKey(cancelled),
          performanceId: cancelled.performanceId,
          reason: cancelled.reason,
        });
        changes.codes.add(cancelled.barcode);
        break;
      }
      case 'BookingTicketReinstated': {
        const reinstated = event.data as unknown as BookingTicketReinstated;
        this.reinstateSeat.run({
          ...seatKey(reinstated),
          performanceId: reinstated.performanceId,
          status: reinstated.status,
        });
        changes.codes.add(reinstated.barcode);
        break;
      }
      default:
        break;
    }
  }

  /**
   * The state of each of `codes` (a chunk of those a batch touched, its facts recorded):
   * three set-based reads for many codes rather than three lookups per code.
   */
  states(codes: readonly string[]): Map<string, TicketCodeState> {
    const requests = rowsByKey<RequestRow>(this.selectRequests, codes);
    const seats = rowsByKey<SeatCountRow>(this.countSeats, codes);
    const counted = rowsByKey<CountedRow>(this.selectCounted, codes);
    const states = new Map<string, TicketCodeState>();
    for (const code of codes) {
      const newest = newestDeliveryRequest(
        (requests.get(code) ?? []).map((row) => ({
          requestedAtKey: row.requested_at_key,
          ticketDeliveryId: row.ticket_delivery_id,
          eventId: row.event_id,
        })),
      );
      const seatCount = seats.get(code)?.[0];
      states.set(code, {
        status: ticketCodeStatus({
          copeEventId: newest?.eventId,
          ltdSeats: seatCount?.seats ?? 0,
          ltdCancelledSeats: seatCount?.cancelled ?? 0,
        }),
        counted: byEvent(counted.get(code) ?? []),
      });
    }
    return states;
  }

  private recordRequest(request: TicketDeliveryRequested, changes: TicketFactChanges): void {
    this.insertRequest.run({
      ticketId: request.ticketId,
      requestedAtKey: normaliseSenderTime(request.requestedAt),
      ticketDeliveryId: request.ticketDeliveryId,
      eventId: request.eventId,
      requestedAt: request.requestedAt,
      deliveryKind: this.details ? request.deliveryKind : null,
      recipient: this.details ? request.recipient : null,
    });
    changes.codes.add(request.ticketId);
    changes.events.add(request.eventId);
  }

  private recordCheckIn(checkIn: TicketCheckedIn, changes: TicketFactChanges): void {
    changes.events.add(checkIn.eventId);
    const copies = this.selectCopies.all(checkIn.checkInId) as CopyRow[];
    if (copies.some((copy) => copy.content_hash === checkIn.contentHash)) return;

    const conflicted = copies.length > 0;
    const added: CopyRow = {
      content_hash: checkIn.contentHash,
      ticket_id: checkIn.ticketId,
      event_id: checkIn.eventId,
      gate: checkIn.gate ?? null,
      counted: 0,
    };
    const all = [...copies, added];
    const counted = countedCopy(
      all.map((copy) => ({ checkInId: checkIn.checkInId, contentHash: copy.content_hash, copy })),
    )?.copy;
    this.insertCopy.run({
      checkInId: checkIn.checkInId,
      contentHash: checkIn.contentHash,
      ticketId: checkIn.ticketId,
      eventId: checkIn.eventId,
      checkedInAt: checkIn.checkedInAt,
      checkedInKey: normaliseSenderTime(checkIn.checkedInAt),
      gate: checkIn.gate ?? null,
      scannerSessionId: this.details ? checkIn.scannerSessionId : null,
      deviceId: this.details ? (checkIn.deviceId ?? null) : null,
      counted: counted === added ? 1 : 0,
      conflicted: conflicted ? 1 : 0,
    });
    if (conflicted) this.setConflicted.run(checkIn.checkInId);

    const previous = copies.find((copy) => copy.counted === 1);
    // Whichever copy counts, its code now carries a conflicting check-in.
    if (previous) changes.codes.add(previous.ticket_id);
    if (counted !== added) return;
    changes.codes.add(added.ticket_id);
    if (previous) this.setCounted.run(0, checkIn.checkInId, previous.content_hash);
    changes.counted.push({
      ...(previous ? { removed: countedRef(checkIn.checkInId, previous) } : {}),
      added: countedRef(checkIn.checkInId, added),
    });
  }
}

/** Counted check-ins by COPE event, in the order read (oldest first). */
function byEvent(rows: readonly CountedRow[]): Map<string, CountedCheckIn[]> {
  const checkIns = new Map<string, CountedCheckIn[]>();
  for (const row of rows) {
    const atEvent = checkIns.get(row.event_id) ?? [];
    checkIns.set(row.event_id, atEvent);
    atEvent.push({
      checkInId: row.check_in_id,
      checkedInAt: row.checked_in_at,
      checkedInKey: row.checked_in_key,
      conflicted: row.conflicted === 1,
    });
  }
  return checkIns;
}

function seatKey(ref: BookingTicketIssued | BookingTicketCancelled | BookingTicketReinstated) {
  return {
    bookingReference: ref.bookingReference,
    ticketKey: ref.ticketKey,
    barcode: ref.barcode,
    seat: ref.seat,
  };
}

function countedRef(checkInId: string, copy: CopyRow): CountedCheckInRef {
  return { checkInId, ticketId: copy.ticket_id, eventId: copy.event_id, gate: copy.gate };
}
