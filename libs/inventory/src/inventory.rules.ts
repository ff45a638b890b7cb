import { discrepancyId, type Discrepancy } from '#projections';

/**
 * The inventory rules of reconciliation.md ("Inventory"), as pure functions of the
 * rows the projection keeps, so that derived values depend on facts, not arrival order.
 */

export const INVENTORY_DISCREPANCY_TYPES = [
  'affiliate_exceeds_unavailable',
  'booking_on_disabled_performance',
] as const;

/** What an LTD performance's discrepancies depend on. */
export interface PerformanceFacts {
  readonly performanceId: number;
  readonly eventId: number | null;
  /** Null while no `PerformanceChanged` is known. */
  readonly totalSeats: number | null;
  readonly availableSeats: number | null;
  readonly disabled: boolean | null;
  readonly reportedAt: string | null;
  readonly affiliateIssued: number;
}

/**
 * `affiliate_exceeds_unavailable` (more seats issued through this vendor than LTD
 * reports unavailable) and `booking_on_disabled_performance` (live seats on a
 * performance LTD reports disabled), one each per performance. Both rest on the newest
 * `PerformanceChanged`, so `since` is its `Timestamp`.
 */
export function performanceDiscrepancies(facts: PerformanceFacts): Discrepancy[] {
  const { performanceId, reportedAt, affiliateIssued } = facts;
  if (reportedAt === null) return [];
  const where = {
    provider: 'ltd' as const,
    ...(facts.eventId === null ? {} : { eventId: String(facts.eventId) }),
    performanceId,
    since: reportedAt,
  };
  const discrepancies: Discrepancy[] = [];
  if (facts.totalSeats !== null && facts.availableSeats !== null) {
    const unavailable = facts.totalSeats - facts.availableSeats;
    if (affiliateIssued > unavailable) {
      const type = 'affiliate_exceeds_unavailable';
      discrepancies.push({
        id: discrepancyId(type, performanceId),
        type,
        ...where,
        detail: `${String(affiliateIssued)} seats issued through this vendor, but LTD reports only ${String(unavailable)} unavailable (${String(facts.totalSeats)} total, ${String(facts.availableSeats)} available)`,
      });
    }
  }
  if (facts.disabled === true && affiliateIssued > 0) {
    const type = 'booking_on_disabled_performance';
    discrepancies.push({
      id: discrepancyId(type, performanceId),
      type,
      ...where,
      detail: `${String(affiliateIssued)} seats issued through this vendor on a performance LTD reports disabled`,
    });
  }
  return discrepancies;
}

/** What an Ingresse ticket type adds to its event's `totalQuantity`. */
export interface TicketTypeFacts {
  readonly type: string;
  readonly quantity: number;
  readonly archived: boolean;
  /** For a Ticket: whether its `parentId` names a known Group. */
  readonly inGroup: boolean;
  /** For a Group: the quantities of its non-archived Ticket children, summed. */
  readonly childrenQuantity: number;
}

/**
 * A non-archived Group adds the smaller of its quantity and its children's; a
 * non-archived Ticket with no (known) group adds its quantity; anything else adds 0.
 * A Ticket whose group has not been reported yet counts alone until the group arrives.
 */
export function ticketTypeContribution(facts: TicketTypeFacts): number {
  if (facts.archived) return 0;
  if (facts.type === 'Group') return Math.min(facts.quantity, facts.childrenQuantity);
  if (facts.type === 'Ticket' && !facts.inGroup) return facts.quantity;
  return 0;
}
