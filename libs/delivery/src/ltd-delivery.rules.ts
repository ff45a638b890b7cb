import { discrepancyId, type Discrepancy } from '#projections';

/**
 * The LTD delivery rules of reconciliation.md ("Delivery"), as pure functions of one
 * booking's facts, so that the projection can recompute a booking from its base rows
 * whatever order those rows were written in.
 */

export type LtdDeliveryStatus = 'pending' | 'available' | 'cancelled';

/** A sender's time as written (`at`, what answers show) and normalised (`order`, what compares). */
export interface SenderInstant {
  readonly at: string;
  readonly order: string;
}

export interface BookingTicketFacts {
  readonly ticketKey: string;
  readonly barcode: string;
  readonly seat: string;
  readonly performanceId: number;
  readonly cancelled: boolean;
}

export interface EticketLine {
  readonly barcode: string;
  readonly seat: string;
  /** The earliest `ScheduledEticketDelivery` that released this line. */
  readonly released: SenderInstant;
}

export interface BookingFacts {
  readonly bookingReference: string;
  /** From the newest applied `TransactionChanged`; null when it has none or none is known. */
  readonly deliveryType: string | null;
  /** The newest applied `TransactionChanged`; undefined while no transaction is known. */
  readonly transaction: SenderInstant | undefined;
  /** The earliest accepted `ScheduledEticketDelivery`. */
  readonly released: SenderInstant | undefined;
  readonly tickets: readonly BookingTicketFacts[];
  /** The ticket keys the newest applied transaction lists. */
  readonly listedKeys: ReadonlySet<string>;
  readonly etickets: readonly EticketLine[];
}

export const DELIVERY_DISCREPANCY_TYPES = [
  'duplicate_barcode',
  'eticket_for_unknown_barcode',
  'eticket_for_cancelled_ticket',
] as const;

/** Print-at-home and the like are available at purchase; only scheduled e-tickets wait. */
export function isScheduledDeliveryType(deliveryType: string): boolean {
  return deliveryType.toLowerCase().includes('scheduled');
}

/**
 * Whether the booking's tickets are available at purchase: a transaction is known and its
 * delivery type is not a scheduled e-ticket type. A transaction with no delivery type
 * names no scheduled type either, so it counts as available (reconciliation.md, rule 2).
 */
function availableAtPurchase(facts: BookingFacts): boolean {
  return (
    facts.transaction !== undefined &&
    (facts.deliveryType === null || !isScheduledDeliveryType(facts.deliveryType))
  );
}

/** First match wins: cancelled, available, pending. */
export function ltdDeliveryStatus(facts: BookingFacts): LtdDeliveryStatus {
  if (facts.tickets.length > 0 && facts.tickets.every((ticket) => ticket.cancelled)) {
    return 'cancelled';
  }
  if (facts.released !== undefined || availableAtPurchase(facts)) return 'available';
  return 'pending';
}

/**
 * A ticket's e-ticket is available when the ticket is not cancelled, the booking is
 * available, and either its delivery type is not scheduled or a release named its
 * barcode (a release for other barcodes does not deliver this one).
 */
export function eticketAvailability(
  facts: BookingFacts,
  status: LtdDeliveryStatus,
): Map<string, boolean> {
  const releasedBarcodes = new Set(facts.etickets.map((line) => line.barcode));
  const atPurchase = availableAtPurchase(facts);
  return new Map(
    facts.tickets.map((ticket) => [
      ticket.ticketKey,
      !ticket.cancelled &&
        status === 'available' &&
        (atPurchase || releasedBarcodes.has(ticket.barcode)),
    ]),
  );
}

/** The later of two instants (undefined counts as earliest). */
export function laterOf(
  a: SenderInstant | undefined,
  b: SenderInstant | undefined,
): SenderInstant | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b.order > a.order ? b : a;
}

function earliestOf(instants: readonly SenderInstant[]): SenderInstant | undefined {
  let earliest: SenderInstant | undefined;
  for (const instant of instants) {
    if (earliest === undefined || instant.order < earliest.order) earliest = instant;
  }
  return earliest;
}

function groupBy<Item>(items: readonly Item[], key: (item: Item) => string): Map<string, Item[]> {
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

const LISTED_LIMIT = 10;

function listed(items: readonly string[]): string {
  const shown = items.slice(0, LISTED_LIMIT).join(', ');
  return items.length > LISTED_LIMIT
    ? `${shown} and ${String(items.length - LISTED_LIMIT)} more`
    : shown;
}

function smallestPerformance(tickets: readonly BookingTicketFacts[]): { performanceId?: number } {
  if (tickets.length === 0) return {};
  return { performanceId: Math.min(...tickets.map((ticket) => ticket.performanceId)) };
}

/**
 * `eticket_for_unknown_barcode` and `eticket_for_cancelled_ticket`, one per (booking,
 * barcode), exclusive in that order, and only once a transaction is known. An e-ticket
 * line refers to the booking's ticket with its barcode and seat, or, when seats are
 * named differently, to all of the booking's tickets with its barcode. `since` is the
 * later of the barcode's earliest release and the newest transaction: the latest
 * fact the discrepancy rests on, so it does not depend on arrival order.
 */
export function eticketDiscrepancies(facts: BookingFacts): Discrepancy[] {
  if (facts.transaction === undefined) return [];
  const { bookingReference } = facts;
  const listedBarcodes = new Set(
    facts.tickets
      .filter((ticket) => facts.listedKeys.has(ticket.ticketKey))
      .map((ticket) => ticket.barcode),
  );
  const ticketsByBarcode = groupBy(facts.tickets, (ticket) => ticket.barcode);
  const discrepancies: Discrepancy[] = [];
  for (const [barcode, lines] of groupBy(facts.etickets, (line) => line.barcode)) {
    const since = laterOf(earliestOf(lines.map((line) => line.released)), facts.transaction);
    if (since === undefined) continue;
    const withBarcode = ticketsByBarcode.get(barcode) ?? [];
    const discrepancy = (type: string, detail: string): Discrepancy => ({
      id: discrepancyId(type, bookingReference, barcode),
      type,
      provider: 'ltd',
      bookingReference,
      ticketId: barcode,
      ...smallestPerformance(withBarcode),
      detail,
      since: since.at,
    });
    if (!listedBarcodes.has(barcode)) {
      discrepancies.push(
        discrepancy(
          'eticket_for_unknown_barcode',
          `e-ticket released for barcode ${barcode}, which booking ${bookingReference}'s newest transaction does not list`,
        ),
      );
      continue;
    }
    const cancelledSeats = lines
      .filter((line) => {
        const sameSeat = withBarcode.filter((ticket) => ticket.seat === line.seat);
        const referred = sameSeat.length > 0 ? sameSeat : withBarcode;
        return referred.length > 0 && referred.every((ticket) => ticket.cancelled);
      })
      .map((line) => line.seat)
      .sort();
    if (cancelledSeats.length === 0) continue;
    discrepancies.push(
      discrepancy(
        'eticket_for_cancelled_ticket',
        `e-ticket released for barcode ${barcode} (seats ${listed(cancelledSeats)}) of booking ${bookingReference}, whose ticket is cancelled`,
      ),
    );
  }
  return discrepancies;
}

/** A seat some booking holds a barcode on. */
export interface BarcodeHolder {
  readonly bookingReference: string;
  readonly seat: string;
  readonly performanceId: number | null;
  /** The fact that puts the barcode there: the booking's newest transaction, or the release. */
  readonly evidence: SenderInstant;
}

/**
 * `duplicate_barcode`: a barcode on several seats, in one booking or across bookings;
 * one discrepancy per booking holding it, so each booking's answer lists its own.
 */
export function duplicateBarcodeDiscrepancies(
  barcode: string,
  holders: readonly BarcodeHolder[],
): Discrepancy[] {
  const seats = [
    ...new Set(holders.map((holder) => `${holder.bookingReference} ${holder.seat}`)),
  ].sort();
  if (seats.length < 2) return [];
  let since: SenderInstant | undefined;
  for (const holder of holders) since = laterOf(since, holder.evidence);
  if (since === undefined) return [];
  const detail = `barcode ${barcode} is on ${String(seats.length)} seats: ${listed(seats)}`;
  const type = 'duplicate_barcode';
  return [...groupBy(holders, (holder) => holder.bookingReference)].map(
    ([bookingReference, own]) => {
      const performances = own.flatMap((holder) =>
        holder.performanceId === null ? [] : [holder.performanceId],
      );
      return {
        id: discrepancyId(type, bookingReference, barcode),
        type,
        provider: 'ltd',
        bookingReference,
        ticketId: barcode,
        ...(performances.length > 0 ? { performanceId: Math.min(...performances) } : {}),
        detail,
        since: since.at,
      };
    },
  );
}
