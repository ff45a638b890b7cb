import type { AffiliateOptInRecorded } from '../ledger-events.js';
import type { Decider } from './decider.js';

export interface RecordOptIn {
  readonly kind: 'RecordOptIn';
  readonly optIn: AffiliateOptInRecorded;
}

/**
 * LTD consent streams (`consent-ltd.<digest>`), for opt-ins that name no booking:
 * each opt-in is recorded as it comes.
 */
export const consentDecider: Decider<RecordOptIn, null> = {
  initialState: null,
  stateless: true,
  evolve: (state) => state,
  decide: ({ optIn }) => [{ type: 'AffiliateOptInRecorded', data: optIn }],
};
