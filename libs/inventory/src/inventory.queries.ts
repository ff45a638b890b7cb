import type { Database, Statement } from 'better-sqlite3';
import type { JsonValue } from '#event-store';
import {
  discrepancyFromRow,
  DiscrepancyPages,
  oldestFirst,
  type DiscrepancyRow,
  type TableNamer,
} from '#projections';
import type {
  CopeInventory,
  DiscrepancyFilter,
  DiscrepancyPage,
  IngresseInventory,
  LtdInventory,
} from './inventory.answers.js';
import { inventoryTables } from './inventory.schema.js';

interface CopeEventRow {
  capacity: number | null;
  issued: number;
  checked_in: number;
}

interface PerformanceRow {
  event_id: number | null;
  booked_event_id: number | null;
  total_seats: number | null;
  available_seats: number | null;
  disabled: number | null;
  has_offer: number | null;
  reported_at: string | null;
  affiliate_issued: number;
  affiliate_cancelled: number;
}

interface TicketTypeRow {
  id: number;
  name: string | null;
  type: string;
  parent_id: number | null;
  quantity: number;
  price: number | null;
  final_price: number | null;
  available: number | null;
  hidden: number | null;
  archived: number | null;
  salable: number | null;
  event_dates: string;
  reported_at: string;
}

const bool = (value: number | null): boolean | null => (value === null ? null : value === 1);

/**
 * Reads of the inventory read model: each answer is a lookup of precomputed rows by key
 * (statements prepared once). An id no accepted fact mentions answers undefined (404).
 */
export class InventoryQueries {
  private readonly copeEvent: Statement<[string], CopeEventRow>;
  private readonly performance: Statement<[number], PerformanceRow>;
  private readonly performanceDiscrepancies: Statement<[number], DiscrepancyRow>;
  private readonly ingresseEvent: Statement<[number], { total_quantity: number }>;
  private readonly ticketTypes: Statement<[number], TicketTypeRow>;
  private readonly discrepancyPages: DiscrepancyPages;

  constructor(
    private readonly db: Database,
    table: TableNamer,
  ) {
    const t = inventoryTables(table);
    this.discrepancyPages = new DiscrepancyPages(db, t.discrepancies);
    this.copeEvent = db.prepare(
      `SELECT capacity, issued, checked_in FROM ${t.copeEvents} WHERE event_id = ?`,
    );
    this.performance = db.prepare(
      `SELECT event_id, booked_event_id, total_seats, available_seats, disabled, has_offer,
              reported_at, affiliate_issued, affiliate_cancelled
         FROM ${t.performances} WHERE performance_id = ?`,
    );
    this.performanceDiscrepancies = db.prepare(
      `SELECT * FROM ${t.discrepancies} WHERE performance_id = ? ORDER BY ${oldestFirst(db, t.discrepancies)}`,
    );
    this.ingresseEvent = db.prepare(
      `SELECT total_quantity FROM ${t.ingresseEvents} WHERE event_id = ?`,
    );
    this.ticketTypes = db.prepare(
      `SELECT id, name, type, parent_id, quantity, price, final_price, available, hidden,
              archived, salable, event_dates, reported_at
         FROM ${t.ticketTypes} WHERE event_id = ? ORDER BY id`,
    );
  }

  /** `GET /inventory/cope/{eventId}`. */
  cope(eventId: string): CopeInventory | undefined {
    const row = this.copeEvent.get(eventId);
    if (row === undefined) return undefined;
    return {
      eventId,
      capacity: row.capacity,
      issued: row.issued,
      checkedIn: row.checked_in,
      remaining: row.capacity === null ? null : row.capacity - row.issued,
      oversold: row.capacity !== null && row.issued > row.capacity,
    };
  }

  /** `GET /inventory/ltd/{performanceId}`. */
  ltd(performanceId: number): LtdInventory | undefined {
    const row = this.performance.get(performanceId);
    if (row === undefined) return undefined;
    return {
      performanceId,
      eventId: row.event_id ?? row.booked_event_id,
      totalSeats: row.total_seats,
      availableSeats: row.available_seats,
      unavailableSeats:
        row.total_seats === null || row.available_seats === null
          ? null
          : row.total_seats - row.available_seats,
      affiliateIssued: row.affiliate_issued,
      affiliateCancelled: row.affiliate_cancelled,
      disabled: bool(row.disabled),
      hasOffer: bool(row.has_offer),
      reportedAt: row.reported_at,
      discrepancies: this.performanceDiscrepancies.all(performanceId).map(discrepancyFromRow),
    };
  }

  /** `GET /inventory/ingresse/{eventId}`. */
  ingresse(eventId: number): IngresseInventory | undefined {
    const row = this.ingresseEvent.get(eventId);
    if (row === undefined) return undefined;
    return {
      eventId,
      totalQuantity: row.total_quantity,
      ticketTypes: this.ticketTypes.all(eventId).map((type) => ({
        id: type.id,
        name: type.name,
        type: type.type,
        parentId: type.parent_id,
        quantity: type.quantity,
        price: type.price,
        finalPrice: type.final_price,
        available: bool(type.available),
        hidden: bool(type.hidden),
        archived: bool(type.archived),
        salable: bool(type.salable),
        eventDates: JSON.parse(type.event_dates) as JsonValue,
        reportedAt: type.reported_at,
      })),
    };
  }

  /** This read model's part of `GET /discrepancies`: open ones, ordered by id, paged by cursor. */
  discrepancies(filter: DiscrepancyFilter): DiscrepancyPage {
    return this.discrepancyPages.page(filter);
  }
}
