import type { JsonObject, JsonValue } from '#event-store';
import type { Provider } from './provider.js';

/**
 * The ledger's event catalogue: every fact a stream can record. Event data is plain
 * JSON; field names are the ledger's own (camelCase), translated from the providers'
 * payloads, and fields a payload carries beyond its contract travel in `extra`.
 */

/** The delivery as received: the first event of every append caused by a webhook. */
export interface WebhookReceived {
  readonly provider: Provider;
  readonly messageType: string | null;
  /** The deduplication keys this delivery claimed (or would have claimed). */
  readonly deduplicationKeys: readonly string[];
  readonly receivedAt: string;
  readonly signatureVerified: boolean;
  /** Allow-listed headers: content type, user agent, `webhook-*`, `ce-*`. */
  readonly headers: Readonly<Record<string, string>>;
  /** SHA-256 (hex) of the bytes in `rawBody`. */
  readonly sha256: string;
  /** The body byte for byte: UTF-8 text, or base64 when the bytes are not valid UTF-8. */
  readonly rawBody: string;
  readonly rawBodyEncoding: 'utf8' | 'base64';
  /** For an element of a CloudEvents batch: the whole batch's SHA-256 and the element's index. */
  readonly batch?: { readonly sha256: string; readonly index: number };
  readonly outcome: 'accepted' | 'parked';
  /** Set when parked: why, and every contract violation. */
  readonly parkedReason?: ParkReason;
  readonly errors?: readonly ContractViolation[];
  /** Set when this receipt re-runs a parked delivery: the parked receipt's id. */
  readonly reprocessOf?: string;
}

export type ParkReason = 'unsupported_type' | 'unsupported_version' | 'contract_violation';

export interface ContractViolation {
  readonly pointer: string;
  readonly message: string;
}

/** A parked delivery was run again through the normal path. */
export interface ParkedDeliveryReprocessed {
  readonly parkedReceiptId: string;
  readonly outcome: 'accepted' | 'duplicate' | 'parked';
  /** The receipt of the successful run (or of the first delivery, for a duplicate). */
  readonly receiptId?: string;
  readonly streamId?: string;
  readonly parkedReason?: ParkReason;
  readonly errors?: readonly ContractViolation[];
}

/** A snapshot older than the newest one applied to its subject: evidence, no effect on status. */
export interface SnapshotSuperseded {
  readonly subject: string;
  readonly senderTime: string;
  readonly hash: string;
  readonly newestSenderTime: string;
  readonly newestHash: string;
  /**
   * LTD bookings only: the ticket keys the late snapshot lists (it still describes those
   * that no newer snapshot lists) and the performances it names. Absent from events stored
   * before these were recorded, and for other subjects.
   */
  readonly ticketKeys?: readonly string[];
  readonly performances?: readonly BookingPerformance[];
}

// COPE tickets (`ticket-cope.<ticket_id>`) ---------------------------------------

export interface TicketDeliveryRequested {
  readonly ticketId: string;
  readonly ticketDeliveryId: string;
  readonly eventId: string;
  readonly eventProductId: string;
  readonly deliveryKind: string;
  readonly recipient: string;
  readonly requestedAt: string;
  readonly occurredAt: string;
  readonly attendee: JsonObject;
  readonly orderId?: string;
  readonly orderLineId?: string;
  readonly extra?: JsonObject;
}

export interface TicketCheckedIn {
  readonly ticketId: string;
  readonly checkInId: string;
  readonly eventId: string;
  readonly eventProductId: string;
  readonly checkedInAt: string;
  readonly occurredAt: string;
  readonly scannerSessionId: string;
  readonly attendee: JsonObject;
  /** Schema v2: null when COPE sent no gate (v1 left it out; upcast on read). */
  readonly gate: string | null;
  readonly deviceId: string | null;
  /** Canonical-JSON SHA-256 of the check-in's data: decides between conflicting copies. */
  readonly contentHash: string;
  readonly extra?: JsonObject;
}

// Shows (`show-cope.<event_id>`, `show-ltd.<EventId>`) -----------------------------

export interface CopeEventPublished {
  readonly eventId: string;
  readonly title: string;
  readonly capacity: number;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly timezone: string;
  readonly eventProductIds: readonly JsonValue[];
  readonly venue?: JsonObject;
  readonly occurredAt: string;
  readonly senderTime: string;
  readonly hash: string;
  readonly extra?: JsonObject;
}

export interface LtdEventChanged {
  readonly eventId: number;
  /** The LTD payload as sent: every field is descriptive, none is reconciled. */
  readonly details: JsonObject;
  readonly reportedAt: string;
  readonly senderTime: string;
  readonly hash: string;
}

// LTD bookings (`booking-ltd.<BookingReference>`) ---------------------------------

/** An LTD ticket is (booking, barcode, seat): one barcode may admit several seats. */
export interface BookingTicketRef {
  readonly bookingReference: string;
  readonly barcode: string;
  readonly seat: string;
  /** Stable key of the ticket within its booking. */
  readonly ticketKey: string;
}

export interface BookingTicketIssued extends BookingTicketRef {
  readonly performanceId: number;
  readonly eventId?: number;
  readonly area?: string;
  readonly price?: number;
  /** LTD's status, verbatim (`Purchased`, or whatever else LTD sends). */
  readonly status: string;
}

export interface BookingTicketCancelled extends BookingTicketRef {
  readonly performanceId: number;
  /** `status`: LTD marked it Cancelled; `removed`: a newer snapshot no longer lists it. */
  readonly reason: 'status' | 'removed';
}

export interface BookingTicketReinstated extends BookingTicketRef {
  readonly performanceId: number;
  readonly status: string;
}

export interface BookingDetailsChanged {
  readonly bookingReference: string;
  readonly deliveryType: string | null;
  readonly previousDeliveryType: string | null;
  readonly customerChanged: boolean;
  readonly customer: JsonObject | null;
  readonly customerHash: string | null;
}

/** A performance a TransactionChanged names, with the smallest `EventId` it gives it. */
export interface BookingPerformance {
  readonly performanceId: number;
  readonly eventId?: number;
}

/** A TransactionChanged snapshot became the booking's newest. */
export interface BookingSnapshotApplied {
  readonly bookingReference: string;
  readonly deliveryType: string | null;
  readonly purchasedAt: string | null;
  readonly ticketKeys: readonly string[];
  /** The performances its tickets are on (absent from events stored before it was recorded). */
  readonly performances?: readonly BookingPerformance[];
  readonly reportedAt: string;
  readonly senderTime: string;
  readonly hash: string;
}

export interface EticketsReleased {
  readonly bookingReference: string;
  readonly releasedAt: string;
  readonly tickets: readonly {
    readonly barcode: string;
    readonly seat: string;
    readonly area?: string;
  }[];
}

/** Consent, in the booking's stream or, without a booking, `consent-ltd.<digest>`. */
export interface AffiliateOptInRecorded {
  readonly bookingReference: string | null;
  /** Keyed digest of the lower-cased e-mail (the e-mail stays in the receipt only). */
  readonly customerDigest: string;
  readonly optInText: string;
  readonly isOptedIn: boolean;
  readonly reportedAt: string;
}

// LTD performances (`performance-ltd.<PerformanceId>`) ----------------------------

export interface PerformanceAvailabilityReported {
  readonly performanceId: number;
  readonly eventId: number;
  readonly totalSeats: number;
  readonly availableSeats: number;
  readonly disabled: boolean | null;
  readonly hasOffer: boolean | null;
  readonly performanceDateTime: string | null;
  readonly reportedAt: string;
  readonly senderTime: string;
  readonly hash: string;
}

// Ingresse ticket types (`tickettype-ingresse.<id>`) ------------------------------

export interface TicketTypeReported {
  readonly id: number;
  readonly eventId: number;
  readonly name: string | null;
  readonly type: string;
  readonly parentId: number | null;
  readonly quantity: number;
  readonly price: number | null;
  readonly finalPrice: number | null;
  readonly available: boolean | null;
  readonly hidden: boolean | null;
  readonly archived: boolean | null;
  readonly salable: boolean | null;
  readonly eventDates: JsonValue;
  readonly reportedAt: string;
  /** `own`: its own webhook; `embedded`: a copy among its group's `children`. */
  readonly source: 'own' | 'embedded';
  readonly senderTime: string;
  /** Canonical-JSON SHA-256 of the ticket type's own object. */
  readonly hash: string;
}

/** Every domain event type and its data. */
export interface LedgerEventMap {
  WebhookReceived: WebhookReceived;
  ParkedDeliveryReprocessed: ParkedDeliveryReprocessed;
  SnapshotSuperseded: SnapshotSuperseded;
  TicketDeliveryRequested: TicketDeliveryRequested;
  TicketCheckedIn: TicketCheckedIn;
  CopeEventPublished: CopeEventPublished;
  LtdEventChanged: LtdEventChanged;
  BookingTicketIssued: BookingTicketIssued;
  BookingTicketCancelled: BookingTicketCancelled;
  BookingTicketReinstated: BookingTicketReinstated;
  BookingDetailsChanged: BookingDetailsChanged;
  BookingSnapshotApplied: BookingSnapshotApplied;
  EticketsReleased: EticketsReleased;
  AffiliateOptInRecorded: AffiliateOptInRecorded;
  PerformanceAvailabilityReported: PerformanceAvailabilityReported;
  TicketTypeReported: TicketTypeReported;
}

export type LedgerEventType = keyof LedgerEventMap;

/** A domain event as deciders produce it: a type and its data. */
export type LedgerEvent = {
  [Type in LedgerEventType]: { readonly type: Type; readonly data: LedgerEventMap[Type] };
}[LedgerEventType];

/** The domain events a delivery can cause (the receipt and parking records aside). */
export type DomainEvent = Exclude<
  LedgerEvent,
  { type: 'WebhookReceived' } | { type: 'ParkedDeliveryReprocessed' }
>;

export function ledgerEvent<Type extends LedgerEventType>(
  type: Type,
  data: LedgerEventMap[Type],
): { readonly type: Type; readonly data: LedgerEventMap[Type] } {
  return { type, data };
}
