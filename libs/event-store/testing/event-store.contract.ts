import type { EventStore } from '../src/index.js';

/** What an adapter's test file hands the contract suite. */
export interface EventStoreFixture {
  readonly store: EventStore;
  /** Releases the store and whatever the fixture created (files, connections). */
  dispose(): Promise<void>;
}

/**
 * The behavioural contract every event-store adapter passes. The store may already
 * hold events (EventStoreDB is shared between runs): tests use fresh stream ids and
 * positions measured at their start, never an empty global log.
 */
export function describeEventStoreContract(
  adapterName: string,
  openFixture: () => Promise<EventStoreFixture>,
): void {
  describe(`${adapterName} event store contract`, () => {
    it.todo(`is written (${String(openFixture.length)})`);
  });
}
