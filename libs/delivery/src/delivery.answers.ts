import type { JsonObject } from '#event-store';
import type { Discrepancy } from '#projections';
import type { LtdDeliveryStatus } from './ltd-delivery.rules.js';

/** One `ticketing.ticket_delivery.requested`, as `GET /deliveries/cope/{ticketId}` shows it. */
export interface CopeDeliveryRequest {
  readonly ticketDeliveryId: string;
  readonly deliveryKind: string;
  readonly recipient: string;
  readonly requestedAt: string;
  readonly attendee: JsonObject;
}

export interface CopeDelivery {
  readonly ticketId: string;
  /** The event of the newest request; null while the ticket is known only from check-ins. */
  readonly eventId: string | null;
  /** COPE sends no confirmation or cancellation; null while no request is known. */
  readonly status: 'requested' | null;
  /** Newest `requestedAt` first, then the greater `ticketDeliveryId`. */
  readonly requests: readonly CopeDeliveryRequest[];
}

export interface LtdDeliveryTicket {
  readonly barcode: string;
  readonly seat: string;
  readonly area: string | null;
  readonly status: 'issued' | 'cancelled';
  /**
   * Not cancelled, the booking `available`, and either a delivery type available at
   * purchase or a released e-ticket with this barcode.
   */
  readonly eticketAvailable: boolean;
}

export interface LtdDelivery {
  readonly bookingReference: string;
  /** From the newest applied `TransactionChanged`; null until one is known. */
  readonly deliveryType: string | null;
  readonly status: LtdDeliveryStatus;
  /** The earliest `ScheduledEticketDelivery` `Timestamp`, as LTD wrote it. */
  readonly eticketsAvailableAt: string | null;
  /** Ordered by barcode, seat, then ticket key. */
  readonly tickets: readonly LtdDeliveryTicket[];
  /** Oldest `since` first. */
  readonly discrepancies: readonly Discrepancy[];
}

export type { DiscrepancyFilter, DiscrepancyPage } from '#projections';
