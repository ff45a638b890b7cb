import type { PerformanceAvailabilityReported } from '../ledger-events.js';
import { decideSnapshot, type Decider, type SnapshotState } from './decider.js';

export interface ReportPerformance {
  readonly kind: 'ReportPerformance';
  readonly report: PerformanceAvailabilityReported;
}

/** LTD performance streams (`performance-ltd.<PerformanceId>`): availability snapshots. */
export const performanceDecider: Decider<ReportPerformance, SnapshotState> = {
  initialState: { newest: undefined },
  replacesState: (event) => event.type === 'PerformanceAvailabilityReported',
  evolve(state, event) {
    return event.type === 'PerformanceAvailabilityReported'
      ? { newest: { senderTime: event.data.senderTime, hash: event.data.hash } }
      : state;
  },
  decide({ report }, state) {
    return decideSnapshot(`ltd performance ${String(report.performanceId)}`, report, state, () => [
      { type: 'PerformanceAvailabilityReported', data: report },
    ]);
  },
};
