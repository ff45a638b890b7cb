import type { TicketTypeReported } from '#ledger';
import type { Discrepancy } from '#projections';

/** `GET /inventory/cope/{eventId}`. */
export interface CopeInventory {
  readonly eventId: string;
  /** From the newest `ticketing.event.published`; null until one arrives. */
  readonly capacity: number | null;
  /** Distinct COPE tickets whose newest delivery request names this event. */
  readonly issued: number;
  /** Distinct ticket codes checked in at this event, known or not. */
  readonly checkedIn: number;
  /** `capacity − issued`, negative when oversold; null while capacity is unknown. */
  readonly remaining: number | null;
  /** `issued > capacity`; false while capacity is unknown. */
  readonly oversold: boolean;
}

/** `GET /inventory/ltd/{performanceId}`. */
export interface LtdInventory {
  readonly performanceId: number;
  /** From the newest `PerformanceChanged`, else the smallest `EventId` its bookings name. */
  readonly eventId: number | null;
  /** The reported figures: null while no `PerformanceChanged` is known. */
  readonly totalSeats: number | null;
  readonly availableSeats: number | null;
  /** `totalSeats − availableSeats`: sold, held or sold elsewhere (LTD does not say). */
  readonly unavailableSeats: number | null;
  /** Seats of this vendor's LTD bookings for the performance, cancelled ones excluded. */
  readonly affiliateIssued: number;
  readonly affiliateCancelled: number;
  readonly disabled: boolean | null;
  readonly hasOffer: boolean | null;
  /** The newest `PerformanceChanged` `Timestamp`, as LTD wrote it. */
  readonly reportedAt: string | null;
  /** Oldest `since` first. */
  readonly discrepancies: readonly Discrepancy[];
}

/**
 * One Ingresse ticket type, from its newest snapshot (own webhook or embedded copy): the
 * reported fields of the ledger's event, `reportedAt` being the webhook's `timestamp`.
 */
export type IngresseTicketType = Pick<
  TicketTypeReported,
  | 'id'
  | 'name'
  | 'type'
  | 'parentId'
  | 'quantity'
  | 'price'
  | 'finalPrice'
  | 'available'
  | 'hidden'
  | 'archived'
  | 'salable'
  | 'eventDates'
  | 'reportedAt'
>;

/** `GET /inventory/ingresse/{eventId}`. */
export interface IngresseInventory {
  readonly eventId: number;
  readonly totalQuantity: number;
  /** Ordered by id. */
  readonly ticketTypes: readonly IngresseTicketType[];
}

export type { DiscrepancyFilter, DiscrepancyPage } from '#projections';
