import type { LedgerEvent } from '../ledger-events.js';
import { supersedes, type SnapshotOrder } from '../sender-clock.js';

/**
 * A decider is the write-side model of one stream kind: from the stream's state and
 * a command (a translated delivery) it decides the events to append; `evolve` folds
 * events back into state. Pure functions, so they are tested given/when/then.
 */
export interface Decider<Command, State> {
  readonly initialState: State;
  /** True when `decide` never looks at state: writers then need only the stream's head. */
  readonly stateless?: boolean;
  /**
   * True for an event that makes the state whole by itself (a snapshot stream's applied
   * snapshot): `evolve` ignores everything before it. Writers then read the stream
   * backwards to the last such event instead of folding a history that grows with every
   * report.
   */
  readonly replacesState?: (event: LedgerEvent) => boolean;
  evolve(state: State, event: LedgerEvent): State;
  decide(command: Command, state: State): LedgerEvent[];
}

/** The state of a stream whose subject is described by snapshots. */
export interface SnapshotState {
  readonly newest: SnapshotOrder | undefined;
}

/**
 * A snapshot that is not newer than the newest applied one is recorded as superseded
 * and changes nothing; otherwise `apply` decides its events.
 */
export function decideSnapshot(
  subject: string,
  candidate: SnapshotOrder,
  state: SnapshotState,
  apply: () => LedgerEvent[],
): LedgerEvent[] {
  const newest = state.newest;
  if (newest && !supersedes(candidate, newest)) {
    return [
      {
        type: 'SnapshotSuperseded',
        data: {
          subject,
          senderTime: candidate.senderTime,
          hash: candidate.hash,
          newestSenderTime: newest.senderTime,
          newestHash: newest.hash,
        },
      },
    ];
  }
  return apply();
}

/** Replays events into a decider's state (the stream's history, oldest first). */
export function foldEvents<State>(
  decider: Decider<unknown, State>,
  events: Iterable<LedgerEvent>,
  from: State = decider.initialState,
): State {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
