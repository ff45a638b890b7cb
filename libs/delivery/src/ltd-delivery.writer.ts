import type { Database, Statement } from 'better-sqlite3';
import {
  compareSnapshots,
  normaliseSenderTime,
  type BookingSnapshotApplied,
  type BookingTicketCancelled,
  type BookingTicketIssued,
  type BookingTicketReinstated,
  type EticketsReleased,
} from '#ledger';
import { DeliveryDiscrepancyStore } from './delivery-discrepancy.store.js';
import type { DeliveryTables } from './delivery.schema.js';
import {
  duplicateBarcodeDiscrepancies,
  eticketAvailability,
  eticketDiscrepancies,
  ltdDeliveryStatus,
  type BarcodeHolder,
  type BookingFacts,
  type SenderInstant,
} from './ltd-delivery.rules.js';

interface BookingRow {
  booking_reference: string;
  delivery_type: string | null;
  snapshot_order: string | null;
  snapshot_hash: string | null;
  snapshot_at: string | null;
  listed_keys: string;
  released_order: string | null;
  released_at: string | null;
  status: string;
}

interface TicketRow {
  ticket_key: string;
  barcode: string;
  seat: string;
  performance_id: number;
  cancelled: number;
  eticket_available: number;
}

interface EticketRow {
  barcode: string;
  seat: string;
  released_order: string;
  released_at: string;
}

interface HolderRow {
  booking_reference: string;
  seat: string;
  performance_id: number | null;
  evidence_order: string;
  evidence_at: string;
}

function instant(at: string | null, order: string | null): SenderInstant | undefined {
  return at === null || order === null ? undefined : { at, order };
}

/**
 * The LTD half of the delivery projection. Events only write base facts (the newest
 * transaction, tickets, releases) and mark their booking dirty; `flush`, once per batch,
 * recomputes each dirty booking and then each of its barcodes from those facts, so the
 * outcome depends on the set of facts, never on the order they arrived in.
 */
export class LtdDeliveryWriter {
  /** Bookings this batch touched: each is ensured once and recomputed once, in `flush`. */
  private readonly dirtyBookings = new Set<string>();
  private readonly discrepancies: DeliveryDiscrepancyStore;
  private readonly ensureBooking: Statement<[string]>;
  private readonly selectBooking: Statement<[string], BookingRow>;
  private readonly updateSnapshot: Statement<
    [string | null, string, string, string, string, string]
  >;
  private readonly upsertIssued: Statement<[string, string, string, string, string | null, number]>;
  private readonly upsertCancelled: Statement<[string, string, string, string, number, number]>;
  private readonly updateReleased: Statement<[{ order: string; at: string; ref: string }]>;
  private readonly upsertEticket: Statement<[string, string, string, string, string]>;
  private readonly selectTickets: Statement<[string], TicketRow>;
  private readonly selectEtickets: Statement<[string], EticketRow>;
  private readonly updateStatus: Statement<[string, string]>;
  private readonly updateAvailable: Statement<[number, string, string]>;
  private readonly holders: Statement<[string, string], HolderRow>;

  constructor(db: Database, tables: DeliveryTables) {
    const { bookings, bookingTickets, etickets } = tables;
    this.discrepancies = new DeliveryDiscrepancyStore(db, tables.discrepancies);
    this.ensureBooking = db.prepare(
      `INSERT INTO ${bookings} (booking_reference) VALUES (?) ON CONFLICT DO NOTHING`,
    );
    this.selectBooking = db.prepare(`SELECT * FROM ${bookings} WHERE booking_reference = ?`);
    this.updateSnapshot = db.prepare(
      `UPDATE ${bookings} SET delivery_type = ?, snapshot_order = ?, snapshot_hash = ?,
         snapshot_at = ?, listed_keys = ? WHERE booking_reference = ?`,
    );
    this.upsertIssued = db.prepare(
      `INSERT INTO ${bookingTickets}
         (booking_reference, ticket_key, barcode, seat, area, performance_id, cancelled)
         VALUES (?, ?, ?, ?, ?, ?, 0)
       ON CONFLICT DO UPDATE SET barcode = excluded.barcode, seat = excluded.seat,
         area = excluded.area, performance_id = excluded.performance_id, cancelled = 0`,
    );
    this.upsertCancelled = db.prepare(
      `INSERT INTO ${bookingTickets}
         (booking_reference, ticket_key, barcode, seat, performance_id, cancelled)
         VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET performance_id = excluded.performance_id,
         cancelled = excluded.cancelled`,
    );
    this.updateReleased = db.prepare(
      `UPDATE ${bookings} SET released_order = @order, released_at = @at
         WHERE booking_reference = @ref AND (released_order IS NULL OR released_order > @order)`,
    );
    this.upsertEticket = db.prepare(
      `INSERT INTO ${etickets} (booking_reference, barcode, seat, released_order, released_at)
         VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET released_order = excluded.released_order,
         released_at = excluded.released_at WHERE excluded.released_order < released_order`,
    );
    this.selectTickets = db.prepare(
      `SELECT ticket_key, barcode, seat, performance_id, cancelled, eticket_available
         FROM ${bookingTickets} WHERE booking_reference = ?`,
    );
    this.selectEtickets = db.prepare(
      `SELECT barcode, seat, released_order, released_at FROM ${etickets}
         WHERE booking_reference = ?`,
    );
    this.updateStatus = db.prepare(`UPDATE ${bookings} SET status = ? WHERE booking_reference = ?`);
    this.updateAvailable = db.prepare(
      `UPDATE ${bookingTickets} SET eticket_available = ?
         WHERE booking_reference = ? AND ticket_key = ?`,
    );
    this.holders = db.prepare(
      `SELECT t.booking_reference, t.seat, t.performance_id,
              b.snapshot_order AS evidence_order, b.snapshot_at AS evidence_at
         FROM ${bookingTickets} t JOIN ${bookings} b USING (booking_reference)
        WHERE t.barcode = ? AND t.cancelled = 0 AND b.snapshot_order IS NOT NULL
       UNION ALL
       SELECT e.booking_reference, e.seat, NULL, e.released_order, e.released_at
         FROM ${etickets} e JOIN ${bookings} b USING (booking_reference)
        WHERE e.barcode = ? AND b.snapshot_order IS NULL`,
    );
  }

  /** A fact that names the booking and nothing else (an opt-in): it makes it known. */
  mentioned(bookingReference: string): void {
    this.touch(bookingReference);
  }

  snapshotApplied(data: BookingSnapshotApplied): void {
    const ref = data.bookingReference;
    this.touch(ref);
    const row = this.selectBooking.get(ref);
    const newest =
      row !== undefined && row.snapshot_order !== null && row.snapshot_hash !== null
        ? { senderTime: row.snapshot_order, hash: row.snapshot_hash }
        : undefined;
    // Only a newer transaction replaces the booking's view: an older one never rolls it back.
    if (newest !== undefined && compareSnapshots(data, newest) <= 0) return;
    this.updateSnapshot.run(
      data.deliveryType,
      data.senderTime,
      data.hash,
      data.reportedAt,
      JSON.stringify(data.ticketKeys),
      ref,
    );
  }

  ticketIssued(data: BookingTicketIssued): void {
    this.touch(data.bookingReference);
    this.upsertIssued.run(
      data.bookingReference,
      data.ticketKey,
      data.barcode,
      data.seat,
      data.area ?? null,
      data.performanceId,
    );
  }

  ticketCancelled(data: BookingTicketCancelled): void {
    this.setCancelled(data, 1);
  }

  ticketReinstated(data: BookingTicketReinstated): void {
    this.setCancelled(data, 0);
  }

  eticketsReleased(data: EticketsReleased): void {
    const ref = data.bookingReference;
    const order = normaliseSenderTime(data.releasedAt);
    this.touch(ref);
    this.updateReleased.run({ order, at: data.releasedAt, ref });
    for (const line of data.tickets) {
      this.upsertEticket.run(ref, line.barcode, line.seat, order, data.releasedAt);
    }
  }

  /** Forgets pending work: called before each batch, so a rolled-back batch leaves nothing behind. */
  reset(): void {
    this.dirtyBookings.clear();
  }

  /** Recomputes what the batch touched: its bookings, then every barcode they hold. */
  flush(): void {
    const dirtyBarcodes = new Set<string>();
    for (const ref of this.dirtyBookings) {
      for (const barcode of this.recomputeBooking(ref)) dirtyBarcodes.add(barcode);
    }
    for (const barcode of dirtyBarcodes) this.recomputeBarcode(barcode);
    this.reset();
  }

  private touch(ref: string): void {
    if (this.dirtyBookings.has(ref)) return;
    this.ensureBooking.run(ref);
    this.dirtyBookings.add(ref);
  }

  private setCancelled(data: BookingTicketCancelled | BookingTicketReinstated, cancelled: number) {
    this.touch(data.bookingReference);
    this.upsertCancelled.run(
      data.bookingReference,
      data.ticketKey,
      data.barcode,
      data.seat,
      data.performanceId,
      cancelled,
    );
  }

  private recomputeBooking(ref: string): Set<string> {
    const booking = this.selectBooking.get(ref);
    if (booking === undefined) return new Set();
    const tickets = this.selectTickets.all(ref);
    const etickets = this.selectEtickets.all(ref);
    const facts: BookingFacts = {
      bookingReference: ref,
      deliveryType: booking.delivery_type,
      transaction: instant(booking.snapshot_at, booking.snapshot_order),
      released: instant(booking.released_at, booking.released_order),
      tickets: tickets.map((ticket) => ({
        ticketKey: ticket.ticket_key,
        barcode: ticket.barcode,
        seat: ticket.seat,
        performanceId: ticket.performance_id,
        cancelled: ticket.cancelled === 1,
      })),
      // Only e-ticket discrepancies read the listing, and e-tickets are never withdrawn.
      listedKeys:
        etickets.length === 0 ? new Set() : new Set(JSON.parse(booking.listed_keys) as string[]),
      etickets: etickets.map((line) => ({
        barcode: line.barcode,
        seat: line.seat,
        released: { at: line.released_at, order: line.released_order },
      })),
    };
    const status = ltdDeliveryStatus(facts);
    if (status !== booking.status) this.updateStatus.run(status, ref);
    const available = eticketAvailability(facts, status);
    for (const ticket of tickets) {
      const wanted = available.get(ticket.ticket_key) === true ? 1 : 0;
      if (wanted !== ticket.eticket_available) {
        this.updateAvailable.run(wanted, ref, ticket.ticket_key);
      }
    }
    if (etickets.length > 0) {
      this.discrepancies.syncEticketDiscrepancies(ref, eticketDiscrepancies(facts));
    }
    return new Set([...tickets, ...etickets].map((row) => row.barcode));
  }

  /**
   * The seats holding a barcode: live tickets of bookings with a known transaction, and
   * released e-ticket lines of bookings whose transaction is not known yet (once it is,
   * its tickets are the booking's truth and seat names need not match the e-tickets').
   */
  private recomputeBarcode(barcode: string): void {
    const holders: BarcodeHolder[] = this.holders.all(barcode, barcode).map((row) => ({
      bookingReference: row.booking_reference,
      seat: row.seat,
      performanceId: row.performance_id,
      evidence: { at: row.evidence_at, order: row.evidence_order },
    }));
    this.discrepancies.syncDuplicateBarcode(
      barcode,
      duplicateBarcodeDiscrepancies(barcode, holders),
    );
  }
}
