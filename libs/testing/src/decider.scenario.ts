import { foldEvents, type Decider, type LedgerEvent } from '#ledger';

/**
 * Given/when/then for deciders:
 *
 *   givenHistory(bookingDecider, issued, cancelled).when(applyTransaction).expectEvents([...])
 */
export function givenHistory<Command, State>(
  decider: Decider<Command, State>,
  ...history: LedgerEvent[]
) {
  const state = foldEvents(decider as Decider<unknown, State>, history);
  return {
    state,
    when(command: Command) {
      const decided = decider.decide(command, state);
      return {
        events: decided,
        /** The state after the decided events, to chain another command. */
        stateAfter: foldEvents(decider as Decider<unknown, State>, decided, state),
        expectEvents(expected: LedgerEvent[]): void {
          expect(decided).toEqual(expected);
        },
        expectTypes(expected: LedgerEvent['type'][]): void {
          expect(decided.map((event) => event.type)).toEqual(expected);
        },
      };
    },
  };
}

/** The events a stream records when its commands arrive in this order, each decided on the state so far. */
export function decidedInOrder<Command, State>(
  decider: Decider<Command, State>,
  commands: readonly Command[],
): LedgerEvent[] {
  let state = decider.initialState;
  const recorded: LedgerEvent[] = [];
  for (const command of commands) {
    const events = decider.decide(command, state);
    state = foldEvents(decider as Decider<unknown, State>, events, state);
    recorded.push(...events);
  }
  return recorded;
}
