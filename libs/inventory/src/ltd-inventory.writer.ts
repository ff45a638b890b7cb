import type { Database, Statement } from 'better-sqlite3';
import {
  compareSnapshots,
  type BookingPerformance,
  type BookingTicketCancelled,
  type BookingTicketIssued,
  type BookingTicketReinstated,
  type PerformanceAvailabilityReported,
} from '#ledger';
import { InventoryDiscrepancyStore } from './inventory-discrepancy.store.js';
import { performanceDiscrepancies } from './inventory.rules.js';
import type { InventoryTables } from './inventory.schema.js';

interface TicketRow {
  performance_id: number;
  cancelled: number;
}

interface PerformanceRow {
  performance_id: number;
  event_id: number | null;
  booked_event_id: number | null;
  total_seats: number | null;
  available_seats: number | null;
  disabled: number | null;
  reported_at: string | null;
  report_order: string | null;
  report_hash: string | null;
  affiliate_issued: number;
}

interface CounterDelta {
  issued: number;
  cancelled: number;
}

const flag = (value: boolean | null): number | null => (value === null ? null : Number(value));

/**
 * The LTD half of the inventory projection. Each ticket's (performance, cancelled) is a
 * base row; a change moves the affiliate counters of the performances involved by
 * difference, written once per performance per batch, then each touched performance's
 * discrepancies are recomputed from its row. Only a newer `PerformanceChanged`
 * replaces the reported figures.
 */
export class LtdInventoryWriter {
  private readonly touched = new Set<number>();
  private readonly deltas = new Map<number, CounterDelta>();
  private readonly bookedEvents = new Map<number, number>();
  private readonly discrepancies: InventoryDiscrepancyStore;
  private readonly ensurePerformance: Statement<[number]>;
  private readonly selectPerformance: Statement<[number], PerformanceRow>;
  private readonly updateReport: Statement<
    [number, number, number, number | null, number | null, string, string, string, number]
  >;
  private readonly addCounters: Statement<[number, number, number]>;
  private readonly updateBookedEvent: Statement<{ performanceId: number; eventId: number }>;
  private readonly selectTicket: Statement<[string, string], TicketRow>;
  private readonly upsertTicket: Statement<[string, string, number, number]>;

  constructor(db: Database, tables: InventoryTables) {
    const { performances, bookingTickets } = tables;
    this.discrepancies = new InventoryDiscrepancyStore(db, tables.discrepancies);
    this.ensurePerformance = db.prepare(
      `INSERT INTO ${performances} (performance_id) VALUES (?) ON CONFLICT DO NOTHING`,
    );
    this.selectPerformance = db.prepare(
      `SELECT performance_id, event_id, booked_event_id, total_seats, available_seats, disabled,
              reported_at, report_order, report_hash, affiliate_issued
         FROM ${performances} WHERE performance_id = ?`,
    );
    this.updateReport = db.prepare(
      `UPDATE ${performances} SET event_id = ?, total_seats = ?, available_seats = ?,
         disabled = ?, has_offer = ?, reported_at = ?, report_order = ?, report_hash = ?
       WHERE performance_id = ?`,
    );
    this.addCounters = db.prepare(
      `UPDATE ${performances} SET affiliate_issued = affiliate_issued + ?,
         affiliate_cancelled = affiliate_cancelled + ? WHERE performance_id = ?`,
    );
    // The smallest EventId any accepted transaction gives the performance (applied or
    // superseded, see `listed`): a minimum over the set, so independent of arrival order.
    this.updateBookedEvent = db.prepare(
      `UPDATE ${performances} SET booked_event_id = @eventId
        WHERE performance_id = @performanceId
          AND (booked_event_id IS NULL OR booked_event_id > @eventId)`,
    );
    this.selectTicket = db.prepare(
      `SELECT performance_id, cancelled FROM ${bookingTickets}
        WHERE booking_reference = ? AND ticket_key = ?`,
    );
    this.upsertTicket = db.prepare(
      `INSERT INTO ${bookingTickets} (booking_reference, ticket_key, performance_id, cancelled)
         VALUES (?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET performance_id = excluded.performance_id,
         cancelled = excluded.cancelled`,
    );
  }

  /**
   * The performances a transaction names, whether it became the booking's newest or was
   * superseded: each is known (a read answers 200) even when no ticket ends up on it, and
   * gives its EventId, in every arrival order.
   */
  listed(performances: readonly BookingPerformance[] | undefined): void {
    for (const { performanceId, eventId } of performances ?? []) {
      this.touch(performanceId);
      if (eventId !== undefined) this.bookedEvent(performanceId, eventId);
    }
  }

  ticketIssued(data: BookingTicketIssued): void {
    this.setTicket(data, 0);
    // Its transaction names it too (`listed`); this serves events stored before they did.
    if (data.eventId !== undefined) this.bookedEvent(data.performanceId, data.eventId);
  }

  ticketCancelled(data: BookingTicketCancelled): void {
    this.setTicket(data, 1);
  }

  ticketReinstated(data: BookingTicketReinstated): void {
    this.setTicket(data, 0);
  }

  reported(data: PerformanceAvailabilityReported): void {
    this.touch(data.performanceId);
    const row = this.selectPerformance.get(data.performanceId);
    if (
      row !== undefined &&
      row.report_order !== null &&
      row.report_hash !== null &&
      compareSnapshots(data, { senderTime: row.report_order, hash: row.report_hash }) <= 0
    ) {
      return;
    }
    this.updateReport.run(
      data.eventId,
      data.totalSeats,
      data.availableSeats,
      flag(data.disabled),
      flag(data.hasOffer),
      data.reportedAt,
      data.senderTime,
      data.hash,
      data.performanceId,
    );
  }

  /** Forgets pending work: called before each batch, so a rolled-back batch leaves nothing behind. */
  reset(): void {
    this.deltas.clear();
    this.bookedEvents.clear();
    this.touched.clear();
  }

  /** Writes the batch's counter moves, then recomputes each touched performance's discrepancies. */
  flush(): void {
    for (const [performanceId, delta] of this.deltas) {
      if (delta.issued !== 0 || delta.cancelled !== 0) {
        this.addCounters.run(delta.issued, delta.cancelled, performanceId);
      }
    }
    for (const [performanceId, eventId] of this.bookedEvents) {
      this.updateBookedEvent.run({ performanceId, eventId });
    }
    for (const performanceId of this.touched) {
      const row = this.selectPerformance.get(performanceId);
      if (row === undefined) continue;
      this.discrepancies.syncPerformance(
        performanceId,
        performanceDiscrepancies({
          performanceId,
          eventId: row.event_id ?? row.booked_event_id,
          totalSeats: row.total_seats,
          availableSeats: row.available_seats,
          disabled: row.disabled === null ? null : row.disabled === 1,
          reportedAt: row.reported_at,
          affiliateIssued: row.affiliate_issued,
        }),
      );
    }
    this.reset();
  }

  private setTicket(
    data: { bookingReference: string; ticketKey: string; performanceId: number },
    cancelled: number,
  ): void {
    this.touch(data.performanceId);
    const row = this.selectTicket.get(data.bookingReference, data.ticketKey);
    if (row?.performance_id === data.performanceId && row.cancelled === cancelled) return;
    this.upsertTicket.run(data.bookingReference, data.ticketKey, data.performanceId, cancelled);
    if (row !== undefined) {
      this.touch(row.performance_id);
      this.move(row.performance_id, row.cancelled, -1);
    }
    this.move(data.performanceId, cancelled, 1);
  }

  private bookedEvent(performanceId: number, eventId: number): void {
    const known = this.bookedEvents.get(performanceId);
    if (known === undefined || eventId < known) this.bookedEvents.set(performanceId, eventId);
  }

  private move(performanceId: number, cancelled: number, by: number): void {
    const delta = this.deltas.get(performanceId) ?? { issued: 0, cancelled: 0 };
    if (cancelled === 1) delta.cancelled += by;
    else delta.issued += by;
    this.deltas.set(performanceId, delta);
  }

  /** Any fact naming a performance makes it known (a read answers 200, reported figures null). */
  private touch(performanceId: number): void {
    if (this.touched.has(performanceId)) return;
    this.ensurePerformance.run(performanceId);
    this.touched.add(performanceId);
  }
}
