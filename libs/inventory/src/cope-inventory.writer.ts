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
  private readonly insertCheckIn: Statement<[string, string]>;
  private readonly selectPublished: Statement<[string], PublishedRow>;
  private readonly updatePublished: Statement<[number, string, string, string]>;
  private readonly addCounters: Statement<[number, number, string]>;

  constructor(db: Database, tables: InventoryTables) {
    const { copeEvents, copeTickets, copeCheckIns } = tables;
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
    this.insertCheckIn = db.prepare(
      `INSERT INTO ${copeCheckIns} (event_id, ticket_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
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

  checkedIn(data: TicketCheckedIn): void {
    this.touch(data.eventId);
    if (this.insertCheckIn.run(data.eventId, data.ticketId).changes > 0) {
      add(this.checkInMoves, data.eventId, 1);
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
