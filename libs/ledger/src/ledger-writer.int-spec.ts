// The ledger writer on a real SQLite store: two writers (two processes' worth of caches)
// sharing one file, so that a cached or assumed head can be wrong and must be corrected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SqliteEventStore,
  UniqueKeyViolationError,
  type EventStore,
  type ReadStreamOptions,
  type RecordedEvent,
} from '#event-store';
import type { Decider } from './deciders/decider.js';
import { uuidV5 } from './deterministic-id.js';
import { GENESIS_HASH, recordedEventHash } from './event-chain.js';
import type { LedgerEvent } from './ledger-events.js';
import { LedgerWriter, type StreamWrite } from './ledger-writer.js';

/** Counts the decisions each write makes from its state: the events seen so far. */
const counter: Decider<string, number> = {
  initialState: 0,
  evolve: (state) => state + 1,
  decide: (note, seen) => [
    { type: 'SnapshotSuperseded', data: { note, seen } } as unknown as LedgerEvent,
  ],
};

function noted(streamId: string, note: string, uniqueKeys?: string[]): StreamWrite<number> {
  return {
    streamId,
    kind: 'counter',
    decider: counter,
    decide: (seen) => counter.decide(note, seen),
    eventId: (index) => uuidV5(`${streamId}\u0000${note}\u0000${String(index)}`),
    ...(uniqueKeys ? { uniqueKeys } : {}),
  };
}

/**
 * A snapshot stream's decider: the state is the last snapshot's note and how many events
 * came after it; a snapshot replaces whatever came before.
 */
const snapshots: Decider<string, { snapshot: string | null; since: number }> = {
  initialState: { snapshot: null, since: 0 },
  replacesState: (event) => (event.data as unknown as { snapshot?: string }).snapshot !== undefined,
  evolve: (state, event) => {
    const { snapshot } = event.data as unknown as { snapshot?: string };
    return snapshot === undefined ? { ...state, since: state.since + 1 } : { snapshot, since: 0 };
  },
  decide: (note, state) => [
    {
      type: 'SnapshotSuperseded',
      data: note.startsWith('snapshot:')
        ? { snapshot: note }
        : { note, after: state.snapshot, since: state.since },
    } as unknown as LedgerEvent,
  ],
};

function snapshotWrite(streamId: string, note: string) {
  return {
    streamId,
    kind: 'snapshots',
    decider: snapshots,
    decide: (state: { snapshot: string | null; since: number }) => snapshots.decide(note, state),
    eventId: (index: number) => uuidV5(`${streamId}\u0000${note}\u0000${String(index)}`),
  };
}

/** A real store that also counts the stream reads it serves, and the events they return. */
class CountingReads {
  reads = 0;
  eventsRead = 0;
  constructor(readonly store: SqliteEventStore) {}

  get port(): EventStore {
    return new Proxy(this.store, {
      get: (target, property, receiver) => {
        if (property === 'readStream') {
          return async (streamId: string, options?: ReadStreamOptions) => {
            this.reads += 1;
            const events = await target.readStream(streamId, options);
            this.eventsRead += events.length;
            return events;
          };
        }
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  }
}

function verifyChain(events: readonly RecordedEvent[]): void {
  let previous = GENESIS_HASH;
  for (const event of events) {
    const expected = recordedEventHash(previous, event);
    expect(event.metadata['hash']).toBe(expected);
    previous = expected;
  }
}

describe('LedgerWriter on SQLite', () => {
  let directory: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ledger-writer-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.sqlite') });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('given a new stream, when writing, then it is appended without reading the stream first', async () => {
    const counting = new CountingReads(store);
    const writer = new LedgerWriter(counting.port);

    const result = await writer.write(noted('ticket-1', 'a'));

    expect(result).toMatchObject({ streamId: 'ticket-1', alreadyAppended: false });
    expect(counting.reads).toBe(0);
    expect(await store.readStream('ticket-1')).toHaveLength(1);
  });

  it('given a stream another writer extended, when writing, then it reads the stream and appends after it with its state and chain', async () => {
    const first = new LedgerWriter(store);
    await first.write(noted('ticket-1', 'a'));
    await first.write(noted('ticket-1', 'b'));
    const counting = new CountingReads(store);
    const second = new LedgerWriter(counting.port);

    await second.write(noted('ticket-1', 'c'));
    await first.write(noted('ticket-1', 'd'));

    const events = await store.readStream('ticket-1');
    expect(events.map((event) => event.data)).toEqual([
      { note: 'a', seen: 0 },
      { note: 'b', seen: 1 },
      { note: 'c', seen: 2 },
      { note: 'd', seen: 3 },
    ]);
    expect(counting.reads).toBe(1);
    verifyChain(events);
  });

  it('given a claimed key, when writing again, then the violation names the owner and the cached head still serves', async () => {
    const counting = new CountingReads(store);
    const writer = new LedgerWriter(counting.port);
    await writer.write(noted('ticket-1', 'a', ['key-1']));

    await expect(writer.write(noted('ticket-1', 'again', ['key-1']))).rejects.toBeInstanceOf(
      UniqueKeyViolationError,
    );
    await writer.write(noted('ticket-1', 'b'));

    expect(counting.reads).toBe(0);
    const events = await store.readStream('ticket-1');
    expect(events.map((event) => event.data)).toEqual([
      { note: 'a', seen: 0 },
      { note: 'b', seen: 1 },
    ]);
    verifyChain(events);
  });

  it('given a snapshot stream with a long history, when another writer extends it, then it reads back only to the last snapshot and decides from it', async () => {
    const first = new LedgerWriter(store);
    for (let index = 0; index < 100; index += 1) {
      await first.write(snapshotWrite('performance-1', `note ${String(index)}`));
      if (index % 25 === 0) {
        await first.write(snapshotWrite('performance-1', `snapshot:${String(index)}`));
      }
    }
    const counting = new CountingReads(store);
    const second = new LedgerWriter(counting.port);

    await second.write(snapshotWrite('performance-1', 'late note'));

    const events = await store.readStream('performance-1');
    expect(events).toHaveLength(105);
    expect(events.at(-1)?.data).toEqual({ note: 'late note', after: 'snapshot:75', since: 24 });
    // Pages of 8 then 32, back to the snapshot 25 events from the end: not the 104 before.
    expect(counting.eventsRead).toBe(40);
    verifyChain(events);
  });

  it('given a stream with no snapshot at all, then the backwards read reaches its first event', async () => {
    const first = new LedgerWriter(store);
    for (let index = 0; index < 30; index += 1) {
      await first.write(snapshotWrite('performance-2', `note ${String(index)}`));
    }
    const second = new LedgerWriter(store);

    await second.write(snapshotWrite('performance-2', 'late note'));

    expect((await store.readStream('performance-2')).at(-1)?.data).toEqual({
      note: 'late note',
      after: null,
      since: 30,
    });
  });
});
