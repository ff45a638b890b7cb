import type { TicketCheckedIn, TicketDeliveryRequested } from '../ledger-events.js';
import type { Decider } from './decider.js';

export type TicketCommand =
  | { readonly kind: 'RequestTicketDelivery'; readonly request: TicketDeliveryRequested }
  | { readonly kind: 'RecordCheckIn'; readonly checkIn: TicketCheckedIn };

/**
 * COPE ticket streams (`ticket-cope.<ticket_id>`). Every delivery request and check-in
 * is a fact of its own: nothing here depends on order, so the stream needs no state.
 * (Conflicting copies of one check-in are resolved by the read models.)
 */
export const ticketDecider: Decider<TicketCommand, null> = {
  initialState: null,
  stateless: true,
  evolve: (state) => state,
  decide(command) {
    switch (command.kind) {
      case 'RequestTicketDelivery':
        return [{ type: 'TicketDeliveryRequested', data: command.request }];
      case 'RecordCheckIn':
        return [{ type: 'TicketCheckedIn', data: command.checkIn }];
    }
  },
};
