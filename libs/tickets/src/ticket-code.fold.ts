import { discrepancyId, type Discrepancy } from '#projections';

/**
 * The cross-provider ticket ledger's fold (reconciliation.md, "The ticket ledger"): pure
 * functions from what is known about one ticket code — the string a scanner reads — to its
 * status, and from a code's check-ins at one COPE event to what they contribute there.
 * Read models gather the facts from their own tables and reuse these rules, so every read
 * model classifies a check-in the same way.
 */

/** What the ledger knows about one code, gathered with indexed lookups. */
export interface TicketCodeFacts {
  /** The `event_id` of the code's newest COPE delivery request; undefined when COPE never named it. */
  readonly copeEventId: string | undefined;
  /** LTD tickets (booking, ticketKey) whose barcode is this code. */
  readonly ltdSeats: number;
  /** How many of those are cancelled (status `Cancelled`, or removed from the booking). */
  readonly ltdCancelledSeats: number;
}

export interface TicketCodeStatus {
  /** Some provider issued it. */
  readonly known: boolean;
  /** Known only from LTD, and every LTD seat with this barcode is cancelled. */
  readonly cancelled: boolean;
  /** The COPE event it belongs to (null: not a COPE ticket). */
  readonly copeEventId: string | null;
  /** How many people the code lets in. */
  readonly admissions: number;
}

export function ticketCodeStatus(facts: TicketCodeFacts): TicketCodeStatus {
  const cope = facts.copeEventId !== undefined;
  const activeSeats = facts.ltdSeats - facts.ltdCancelledSeats;
  return {
    known: cope || facts.ltdSeats > 0,
    cancelled: !cope && facts.ltdSeats > 0 && activeSeats === 0,
    copeEventId: facts.copeEventId ?? null,
    // A COPE ticket admits one. A shared LTD barcode admits its live seats; once all are
    // cancelled it is reported as cancelled, and scans beyond its seats as duplicates too.
    admissions: cope ? 1 : Math.max(1, activeSeats > 0 ? activeSeats : facts.ltdSeats),
  };
}

/** Where a COPE delivery request stands among the requests for its ticket. */
export interface DeliveryRequestOrder {
  /** `normaliseSenderTime(requestedAt)`: string order is time order. */
  readonly requestedAtKey: string;
  readonly ticketDeliveryId: string;
  readonly eventId: string;
}

/**
 * Negative when `a` is older. By `requested_at`, then `ticket_delivery_id` (the greater is
 * newer), then — for two copies of one request naming different events — the event id,
 * so the answer never depends on arrival order.
 */
export function compareDeliveryRequests(a: DeliveryRequestOrder, b: DeliveryRequestOrder): number {
  return (
    compareStrings(a.requestedAtKey, b.requestedAtKey) ||
    compareStrings(a.ticketDeliveryId, b.ticketDeliveryId) ||
    compareStrings(a.eventId, b.eventId)
  );
}

export function newestDeliveryRequest<Request extends DeliveryRequestOrder>(
  requests: Iterable<Request>,
): Request | undefined {
  let newest: Request | undefined;
  for (const request of requests) {
    if (newest === undefined || compareDeliveryRequests(request, newest) > 0) newest = request;
  }
  return newest;
}

/** One delivery of a check-in: several may carry one `check_in_id`. */
export interface CheckInCopy {
  readonly checkInId: string;
  readonly contentHash: string;
}

/** Of differing copies of one check-in, the one with the smallest canonical hash counts. */
export function countedCopy<Copy extends CheckInCopy>(copies: Iterable<Copy>): Copy | undefined {
  let counted: Copy | undefined;
  for (const copy of copies) {
    if (counted === undefined || copy.contentHash < counted.contentHash) counted = copy;
  }
  return counted;
}

/** A counted check-in of a code at an event. */
export interface CountedCheckIn {
  readonly checkInId: string;
  /** As the scanner sent it. */
  readonly checkedInAt: string;
  /** `normaliseSenderTime(checkedInAt)`, for ordering. */
  readonly checkedInKey: string;
  /** Another delivery carried this `check_in_id` with different content. */
  readonly conflicted: boolean;
}

export function compareCheckIns(a: CountedCheckIn, b: CountedCheckIn): number {
  return compareStrings(a.checkedInKey, b.checkedInKey) || compareStrings(a.checkInId, b.checkInId);
}

/** The three ticket categories are exclusive, in this order; `ok` is none of them. */
export type CheckInCategory = 'unknown' | 'cancelled' | 'wrong_event' | 'ok';

export function checkInCategory(status: TicketCodeStatus, eventId: string): CheckInCategory {
  if (!status.known) return 'unknown';
  if (status.cancelled) return 'cancelled';
  if (status.copeEventId !== null && status.copeEventId !== eventId) return 'wrong_event';
  return 'ok';
}

/** What one code contributes to one COPE event's attendance. */
export interface PairContribution {
  readonly checkIns: number;
  /** null when the code has no check-in at the event. */
  readonly category: CheckInCategory | null;
  readonly duplicateScans: number;
  /** A COPE ticket of this event. */
  readonly expected: boolean;
  /** How many of its check-ins were delivered with conflicting content. */
  readonly conflicted: number;
  /** The earliest check-in (`checkedInKey`, `checkedInAt`), when there is one. */
  readonly firstKey: string | null;
  readonly firstAt: string | null;
}

export function pairContribution(
  status: TicketCodeStatus,
  eventId: string,
  checkIns: readonly CountedCheckIn[],
): PairContribution {
  const sorted = [...checkIns].sort(compareCheckIns);
  const first = sorted[0];
  return {
    checkIns: sorted.length,
    category: first === undefined ? null : checkInCategory(status, eventId),
    duplicateScans: Math.max(0, sorted.length - status.admissions),
    expected: status.copeEventId === eventId,
    conflicted: sorted.filter((checkIn) => checkIn.conflicted).length,
    firstKey: first?.checkedInKey ?? null,
    firstAt: first?.checkedInAt ?? null,
  };
}

export const CHECK_IN_DISCREPANCY_TYPES = [
  'unknown_ticket',
  'cancelled_ticket',
  'wrong_event',
  'duplicate_scan',
  'conflicting_check_in',
] as const;

export type CheckInDiscrepancyType = (typeof CHECK_IN_DISCREPANCY_TYPES)[number];

/** One per (event, code, type): stable whatever the order the facts arrived in. */
export function checkInDiscrepancyId(
  type: CheckInDiscrepancyType,
  eventId: string,
  code: string,
): string {
  return discrepancyId(type, eventId, code);
}

/** The check-in discrepancies open for one code at one event. */
export function pairDiscrepancies(
  eventId: string,
  code: string,
  status: TicketCodeStatus,
  checkIns: readonly CountedCheckIn[],
): Discrepancy[] {
  const sorted = [...checkIns].sort(compareCheckIns);
  const first = sorted[0];
  if (first === undefined) return [];
  const checkInIds = sorted.map((checkIn) => checkIn.checkInId);
  const entry = (
    type: CheckInDiscrepancyType,
    detail: string,
    since: string,
    ids = checkInIds,
  ) => ({
    id: checkInDiscrepancyId(type, eventId, code),
    type,
    provider: 'cope' as const,
    eventId,
    ticketId: code,
    detail,
    since,
    checkInIds: ids,
  });

  const found: Discrepancy[] = [];
  const category = checkInCategory(status, eventId);
  if (category === 'unknown') {
    found.push(
      entry(
        'unknown_ticket',
        `ticket ${code} was checked in at event ${eventId} but no provider issued it`,
        first.checkedInAt,
      ),
    );
  } else if (category === 'cancelled') {
    found.push(
      entry(
        'cancelled_ticket',
        `ticket ${code} was checked in at event ${eventId} but is cancelled`,
        first.checkedInAt,
      ),
    );
  } else if (category === 'wrong_event') {
    found.push(
      entry(
        'wrong_event',
        `ticket ${code} belongs to event ${status.copeEventId ?? ''} but was checked in at event ${eventId}`,
        first.checkedInAt,
      ),
    );
  }
  // The scan that went beyond the code's admissions opened it (by the scanners' clocks).
  const firstExtra = sorted[status.admissions];
  if (firstExtra !== undefined) {
    found.push(
      entry(
        'duplicate_scan',
        `ticket ${code} was scanned ${sorted.length} times at event ${eventId} for ${status.admissions} admission(s)`,
        firstExtra.checkedInAt,
      ),
    );
  }
  const conflicted = sorted.filter((checkIn) => checkIn.conflicted);
  const firstConflicted = conflicted[0];
  if (firstConflicted !== undefined) {
    found.push(
      entry(
        'conflicting_check_in',
        `check-ins of ticket ${code} at event ${eventId} were delivered with different content; the copy with the smallest content hash counts`,
        firstConflicted.checkedInAt,
        conflicted.map((checkIn) => checkIn.checkInId),
      ),
    );
  }
  return found;
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
