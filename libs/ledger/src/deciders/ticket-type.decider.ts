import type { LedgerEvent, TicketTypeReported } from '../ledger-events.js';
import { decideSnapshot, type Decider, type SnapshotState } from './decider.js';

export interface ReportTicketType {
  readonly kind: 'ReportTicketType';
  /** The ticket type the webhook is about. */
  readonly ticketType: TicketTypeReported;
  /** Copies of other ticket types embedded in a group's `children`. */
  readonly embedded: readonly TicketTypeReported[];
}

/**
 * Ingresse ticket-type streams (`tickettype-ingresse.<id>`). A group's webhook also
 * carries snapshots of its children; they are recorded here, in the group's stream
 * (one webhook, one stream), and the inventory read model picks each ticket type's
 * newest snapshot across streams (own webhook beats embedded copy at equal times).
 */
export const ticketTypeDecider: Decider<ReportTicketType, SnapshotState> = {
  initialState: { newest: undefined },
  replacesState: ownReport,
  evolve(state, event) {
    return ownReport(event)
      ? { newest: { senderTime: event.data.senderTime, hash: event.data.hash } }
      : state;
  },
  decide({ ticketType, embedded }, state) {
    const copies = embedded.map((child) => ({ type: 'TicketTypeReported' as const, data: child }));
    // The embedded copies are facts about other ticket types, ordered there: they are
    // recorded even when the group's own snapshot is superseded, or a child's newest
    // snapshot would depend on the order the group's webhooks arrived in.
    return [
      ...decideSnapshot(`ingresse ticket type ${String(ticketType.id)}`, ticketType, state, () => [
        { type: 'TicketTypeReported', data: ticketType },
      ]),
      ...copies,
    ];
  },
};

/** The stream's own ticket type reported (embedded copies describe other ticket types). */
function ownReport(
  event: LedgerEvent,
): event is { type: 'TicketTypeReported'; data: TicketTypeReported } {
  return event.type === 'TicketTypeReported' && event.data.source === 'own';
}
