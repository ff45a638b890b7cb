import type { Database, Statement } from 'better-sqlite3';
import {
  compareSnapshots,
  normaliseSenderTime,
  type CopeEventPublished,
  type TicketCheckedIn,
  type TicketDeliveryRequested,
} from '#ledger';
import type { InventoryTables } from './inventory.schema.js';

interface TicketRow {
  event_id: string;
  request_order: string;
  ticket_delivery_id: string;
}

interface CopyRow {
  content_hash: string;
  event_id: string;
  ticket_id: string;
}

interface PublishedRow {
  published_order: string | null;
  published_hash: string | null;
}

/** (requestedAt, ticketDeliveryId, eventId), compared in that order: the greater is newer. */
function newer(candidate: readonly string[], current: readonly string[]): boolean {
  for (let index = 0; index < candidate.length; index += 1) {
    const a = candidate[index] ?? '';
    const b = current[index] ?? '';
    if (a !== b) return a > b;
  }
  return false;
}

/**
 * The COPE half of the inventory projection. A ticket belongs to the event of its
 * newest delivery request (a maximum, so the same whatever the arrival order); the
 * per-event counters move by difference and are written once per event per batch.
 */
export class CopeInventoryWriter {
  private readonly touched = new Set<string>();
  private readonly issuedMoves = new Map<string, number>();
  private readonly checkInMoves = new Map<string, number>();
  private readonly ensureEvent: Statement<[string]>;
  private readonly selectTicket: Statement<[string], TicketRow>;
  private readonly upsertTicket: Statement<[string, string, string, string]>;
  private readonly selectCopies: Statement<[string], CopyRow>;
  private readonly insertCopy: Statement<[string, string, string, string]>;
  private readonly countCheckIn: Statement<[string, string], { check_ins: number }>;
  private readonly uncountCheckIn: Statement<[string, string], { check_ins: number }>;
  private readonly dropCheckIn: Statement<[string, string]>;
  private readonly selectPublished: Statement<[string], PublishedRow>;
  private readonly updatePublished: Statement<[number, string, string, string]>;
  private readonly addCounters: Statement<[number, number, string]>;

  constructor(db: Database, tables: InventoryTables) {
    const { copeEvents, copeTickets, copeCheckIns, copeCheckInCopies } = tables;
    this.ensureEvent = db.prepare(
      `INSERT INTO ${copeEvents} (event_id) VALUES (?) ON CONFLICT DO NOTHING`,
    );
    this.selectTicket = db.prepare(
      `SELECT event_id, request_order, ticket_delivery_id FROM ${copeTickets} WHERE ticket_id = ?`,
    );
    this.upsertTicket = db.prepare(
      `INSERT INTO ${copeTickets} (ticket_id, event_id, request_order, ticket_delivery_id)
         VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET event_id = excluded.event_id,
         request_order = excluded.request_order, ticket_delivery_id = excluded.ticket_delivery_id`,
    );
    this.selectCopies = db.prepare(
      `SELECT content_hash, event_id, ticket_id FROM ${copeCheckInCopies} WHERE check_in_id = ?`,
    );
    this.insertCopy = db.prepare(
      `INSERT INTO ${copeCheckInCopies} (check_in_id, content_hash, event_id, ticket_id)
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    this.countCheckIn = db.prepare(
      `INSERT INTO ${copeCheckIns} (event_id, ticket_id, check_ins) VALUES (?, ?, 1)
       ON CONFLICT DO UPDATE SET check_ins = check_ins + 1 RETURNING check_ins`,
    );
    this.uncountCheckIn = db.prepare(
      `UPDATE ${copeCheckIns} SET check_ins = check_ins - 1
        WHERE event_id = ? AND ticket_id = ? RETURNING check_ins`,
    );
    this.dropCheckIn = db.prepare(
      `DELETE FROM ${copeCheckIns} WHERE event_id = ? AND ticket_id = ? AND check_ins <= 0`,
    );
    this.selectPublished = db.prepare(
      `SELECT published_order, published_hash FROM ${copeEvents} WHERE event_id = ?`,
    );
    this.updatePublished = db.prepare(
      `UPDATE ${copeEvents} SET capacity = ?, published_order = ?, published_hash = ?
         WHERE event_id = ?`,
    );
    this.addCounters = db.prepare(
      `UPDATE ${copeEvents} SET issued = issued + ?, checked_in = checked_in + ?
         WHERE event_id = ?`,
    );
  }

  requested(data: TicketDeliveryRequested): void {
    this.touch(data.eventId);
    const candidate = [normaliseSenderTime(data.requestedAt), data.ticketDeliveryId, data.eventId];
    const row = this.selectTicket.get(data.ticketId);
    if (
      row !== undefined &&
      !newer(candidate, [row.request_order, row.ticket_delivery_id, row.event_id])
    ) {
      return;
    }
    this.upsertTicket.run(data.ticketId, data.eventId, candidate[0] ?? '', data.ticketDeliveryId);
    if (row?.event_id === data.eventId) return;
    if (row !== undefined) add(this.issuedMoves, row.event_id, -1);
    add(this.issuedMoves, data.eventId, 1);
  }

  /**
   * Of the copies of one `check_in_id` (delivered with different content), only the one
   * with the smallest content hash counts (reconciliation.md, "Attendance"), so that
   * `checkedIn` is attendance's `checkedInTickets` whatever the arrival order.
   */
  checkedIn(data: TicketCheckedIn): void {
    this.touch(data.eventId);
    const copies = this.selectCopies.all(data.checkInId);
    if (copies.some((copy) => copy.content_hash === data.contentHash)) return;
    this.insertCopy.run(data.checkInId, data.contentHash, data.eventId, data.ticketId);
    let counted: CopyRow | undefined;
    for (const copy of copies) {
      if (counted === undefined || copy.content_hash < counted.content_hash) counted = copy;
    }
    if (counted !== undefined && counted.content_hash < data.contentHash) return;
    if (counted !== undefined) this.uncount(counted.event_id, counted.ticket_id);
    if (this.countCheckIn.get(data.eventId, data.ticketId)?.check_ins === 1) {
      add(this.checkInMoves, data.eventId, 1);
    }
  }

  /** The code's counted check-ins at the event lose one; at none, it no longer counts there. */
  private uncount(eventId: string, ticketId: string): void {
    const left = this.uncountCheckIn.get(eventId, ticketId)?.check_ins;
    if (left !== undefined && left <= 0) {
      this.dropCheckIn.run(eventId, ticketId);
      add(this.checkInMoves, eventId, -1);
    }
  }

  published(data: CopeEventPublished): void {
    this.touch(data.eventId);
    const row = this.selectPublished.get(data.eventId);
    if (
      row !== undefined &&
      row.published_order !== null &&
      row.published_hash !== null &&
      compareSnapshots(data, { senderTime: row.published_order, hash: row.published_hash }) <= 0
    ) {
      return;
    }
    this.updatePublished.run(data.capacity, data.senderTime, data.hash, data.eventId);
  }

  /** Forgets pending work: called before each batch, so a rolled-back batch leaves nothing behind. */
  reset(): void {
    this.issuedMoves.clear();
    this.checkInMoves.clear();
    this.touched.clear();
  }

  flush(): void {
    for (const eventId of new Set([...this.issuedMoves.keys(), ...this.checkInMoves.keys()])) {
      const issued = this.issuedMoves.get(eventId) ?? 0;
      const checkedIn = this.checkInMoves.get(eventId) ?? 0;
      if (issued !== 0 || checkedIn !== 0) this.addCounters.run(issued, checkedIn, eventId);
    }
    this.reset();
  }

  /** Any fact naming an event makes it known (a read answers 200, capacity null). */
  private touch(eventId: string): void {
    if (this.touched.has(eventId)) return;
    this.ensureEvent.run(eventId);
    this.touched.add(eventId);
  }
}

function add(counters: Map<string, number>, key: string, delta: number): void {
  counters.set(key, (counters.get(key) ?? 0) + delta);
}
