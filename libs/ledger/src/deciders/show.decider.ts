import type { CopeEventPublished, LtdEventChanged } from '../ledger-events.js';
import { decideSnapshot, type Decider, type SnapshotState } from './decider.js';

export type ShowCommand =
  | { readonly kind: 'PublishCopeEvent'; readonly published: CopeEventPublished }
  | { readonly kind: 'ChangeLtdEvent'; readonly changed: LtdEventChanged };

/**
 * Show streams (`show-cope.<event_id>`, `show-ltd.<EventId>`): COPE's
 * `ticketing.event.published` and LTD's `EventChanged` both carry the show's whole
 * state, ordered by the sender's clock.
 */
export const showDecider: Decider<ShowCommand, SnapshotState> = {
  initialState: { newest: undefined },
  replacesState: (event) => event.type === 'CopeEventPublished' || event.type === 'LtdEventChanged',
  evolve(state, event) {
    switch (event.type) {
      case 'CopeEventPublished':
      case 'LtdEventChanged':
        return { newest: { senderTime: event.data.senderTime, hash: event.data.hash } };
      default:
        return state;
    }
  },
  decide(command, state) {
    if (command.kind === 'PublishCopeEvent') {
      const { published } = command;
      return decideSnapshot(`cope event ${published.eventId}`, published, state, () => [
        { type: 'CopeEventPublished', data: published },
      ]);
    }
    const { changed } = command;
    return decideSnapshot(`ltd event ${String(changed.eventId)}`, changed, state, () => [
      { type: 'LtdEventChanged', data: changed },
    ]);
  },
};
