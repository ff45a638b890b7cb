import {
  UniqueKeyViolationError,
  WrongExpectedVersionError,
  type EventStore,
  type EventToAppend,
  type JsonObject,
  type RecordedEvent,
} from '#event-store';
import { foldEvents, type Decider } from './deciders/decider.js';
import { chainHash, GENESIS_HASH } from './event-chain.js';
import { ledgerUpcasters, SCHEMA_VERSION } from './event-upcasters.js';
import { KeyedMutex } from './keyed-mutex.js';
import { LruCache } from './lru-cache.js';
import type { LedgerEvent } from './ledger-events.js';

/** One append to one stream: what to decide from its state, and how to name the events. */
export interface StreamWrite<State> {
  readonly streamId: string;
  /** Cached state is only reused by writes of the same kind (decider). */
  readonly kind: string;
  readonly decider: Decider<unknown, State>;
  /** The events to append, the receipt first, decided from the stream's current state. */
  readonly decide: (state: State) => LedgerEvent[];
  /** Deterministic id of the `index`-th event, so that a retried append is idempotent. */
  readonly eventId: (index: number) => string;
  /** The provider's own id where it has one; else the first event's id. */
  readonly correlationId?: string;
  readonly uniqueKeys?: readonly string[];
}

export interface WriteResult {
  readonly streamId: string;
  /** Id of the first event appended (the receipt). */
  readonly firstEventId: string;
  /** Revision of the first event appended (the receipt). */
  readonly firstRevision: number;
  readonly position: number;
  readonly eventTypes: readonly string[];
  /** True when the very same append was already stored: nothing was written. */
  readonly alreadyAppended: boolean;
}

interface StreamHead<State> {
  readonly kind: string;
  /** Revision of the stream's last event, -1 when the stream does not exist. */
  readonly revision: number;
  readonly hash: string;
  readonly state: State;
}

const MAX_ATTEMPTS = 8;
const READ_PAGE = 1000;

/**
 * Appends decided events with optimistic concurrency. Stream heads (revision, last
 * hash, folded state) are cached in memory, so a busy stream is not re-read for every
 * delivery; a wrong-expected-version (another process wrote meanwhile) drops the
 * cached head, reloads and decides again. Every event gets its integrity hash,
 * chained to the previous event of its stream.
 */
export class LedgerWriter {
  private readonly heads: LruCache<string, StreamHead<unknown>>;
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly store: EventStore,
    maxCachedStreams = 20_000,
  ) {
    this.heads = new LruCache(maxCachedStreams);
  }

  write<State>(write: StreamWrite<State>): Promise<WriteResult> {
    return this.mutex.run(write.streamId, () => this.writeWithRetries(write));
  }

  /** Forgets a stream's cached head (its stream was changed elsewhere). */
  forget(streamId: string): void {
    this.heads.delete(streamId);
  }

  private async writeWithRetries<State>(write: StreamWrite<State>): Promise<WriteResult> {
    for (let attempt = 1; ; attempt += 1) {
      // A stream missing from the cache is first taken to be new — most are, a ticket's
      // first delivery — so that it costs no read; if it exists, the append answers
      // wrong-expected-version and the second attempt reads it.
      const head =
        this.cached(write) ?? (attempt === 1 ? newStream(write) : await this.load(write));
      try {
        return await this.append(write, head);
      } catch (error) {
        if (error instanceof UniqueKeyViolationError) throw error; // nothing written: the head stands
        this.heads.delete(write.streamId);
        if (!(error instanceof WrongExpectedVersionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async append<State>(
    write: StreamWrite<State>,
    head: StreamHead<State>,
  ): Promise<WriteResult> {
    const decided = write.decide(head.state);
    const { events, hash } = chainedEvents(
      write.streamId,
      head,
      decided,
      write.eventId,
      write.correlationId,
    );
    const firstEventId = events[0]?.id ?? write.eventId(0);
    const result = await this.store.appendToStream(write.streamId, events, {
      expectedRevision: head.revision < 0 ? 'no_stream' : head.revision,
      ...(write.uniqueKeys ? { uniqueKeys: write.uniqueKeys } : {}),
    });
    if (result.alreadyAppended) {
      // The stored events are the truth; the cached head may be behind them.
      this.heads.delete(write.streamId);
    } else {
      this.heads.set(write.streamId, {
        kind: write.kind,
        revision: result.nextExpectedRevision,
        hash,
        state: foldEvents(write.decider, decided, head.state),
      });
    }
    return {
      streamId: write.streamId,
      firstEventId,
      firstRevision: result.nextExpectedRevision - events.length + 1,
      position: result.position,
      eventTypes: decided.map((event) => event.type),
      alreadyAppended: result.alreadyAppended,
    };
  }

  private cached<State>(write: StreamWrite<State>): StreamHead<State> | undefined {
    const cached = this.heads.get(write.streamId);
    return cached?.kind === write.kind ? (cached as StreamHead<State>) : undefined;
  }

  private async load<State>(write: StreamWrite<State>): Promise<StreamHead<State>> {
    const { stateless, replacesState } = write.decider;
    const head = stateless
      ? await this.loadLast(write)
      : replacesState
        ? await this.loadSinceReplaced(write, replacesState)
        : await this.loadAll(write);
    this.heads.set(write.streamId, head);
    return head;
  }

  private async loadLast<State>(write: StreamWrite<State>): Promise<StreamHead<State>> {
    const [last] = await this.store.readStream(write.streamId, {
      direction: 'backwards',
      limit: 1,
    });
    return {
      kind: write.kind,
      revision: last?.revision ?? -1,
      hash: last ? storedHash(last) : GENESIS_HASH,
      state: write.decider.initialState,
    };
  }

  /**
   * Reads backwards to the last event that replaces the state, then folds it and what
   * came after: a snapshot stream costs what follows its newest snapshot, not its whole
   * history. Pages start small, as the newest snapshot is usually among the last events.
   */
  private async loadSinceReplaced<State>(
    write: StreamWrite<State>,
    replacesState: (event: LedgerEvent) => boolean,
  ): Promise<StreamHead<State>> {
    const newestFirst: LedgerEvent[] = [];
    let head: RecordedEvent | undefined;
    let before: number | undefined;
    for (let limit = 8; ; limit = Math.min(limit * 4, READ_PAGE)) {
      const page = await this.store.readStream(write.streamId, {
        direction: 'backwards',
        ...(before === undefined ? {} : { fromRevision: before }),
        limit,
      });
      head ??= page[0];
      let replaced = false;
      for (const event of page) {
        const current = ledgerUpcasters.upcast(event) as unknown as LedgerEvent;
        newestFirst.push(current);
        replaced = replacesState(current);
        if (replaced) break;
      }
      const oldest = page[page.length - 1];
      if (replaced || page.length < limit || !oldest || oldest.revision === 0) break;
      before = oldest.revision - 1;
    }
    return {
      kind: write.kind,
      revision: head?.revision ?? -1,
      hash: head ? storedHash(head) : GENESIS_HASH,
      state: foldEvents(write.decider, newestFirst.reverse()),
    };
  }

  private async loadAll<State>(write: StreamWrite<State>): Promise<StreamHead<State>> {
    let state = write.decider.initialState;
    let last: RecordedEvent | undefined;
    for (;;) {
      const page = await this.store.readStream(write.streamId, {
        fromRevision: last ? last.revision + 1 : 0,
        limit: READ_PAGE,
      });
      const current = page.map((event) => ledgerUpcasters.upcast(event));
      state = foldEvents(write.decider, current as unknown as LedgerEvent[], state);
      last = page[page.length - 1] ?? last;
      if (page.length < READ_PAGE) break;
    }
    return {
      kind: write.kind,
      revision: last?.revision ?? -1,
      hash: last ? storedHash(last) : GENESIS_HASH,
      state,
    };
  }
}

/**
 * The events of one append, ready for the store: ids, causation and correlation ids,
 * the schema version of each type, and each event's integrity hash chained to the
 * stream's head. Returns the new head hash with them.
 */
export function chainedEvents(
  streamId: string,
  head: { readonly revision: number; readonly hash: string },
  decided: readonly LedgerEvent[],
  eventId: (index: number) => string,
  providerCorrelationId?: string,
): { events: EventToAppend[]; hash: string } {
  const ids = decided.map((_event, index) => eventId(index));
  const firstEventId = ids[0] ?? eventId(0);
  const correlationId = providerCorrelationId ?? firstEventId;
  let hash = head.hash;
  const events = decided.map((event, index): EventToAppend => {
    const id = ids[index] ?? eventId(index);
    const data = event.data as unknown as JsonObject;
    const metadata: JsonObject =
      index === 0 ? { correlationId } : { causationId: firstEventId, correlationId };
    const schemaVersion = ledgerUpcasters.currentVersion(event.type);
    if (schemaVersion > 1) metadata[SCHEMA_VERSION] = schemaVersion;
    hash = chainHash(hash, {
      id,
      streamId,
      revision: head.revision + 1 + index,
      type: event.type,
      data,
      metadata,
    });
    return { id, type: event.type, data, metadata: { ...metadata, hash } };
  });
  return { events, hash };
}

function newStream<State>(write: StreamWrite<State>): StreamHead<State> {
  return { kind: write.kind, revision: -1, hash: GENESIS_HASH, state: write.decider.initialState };
}

function storedHash(event: RecordedEvent): string {
  const hash = event.metadata['hash'];
  return typeof hash === 'string' ? hash : GENESIS_HASH;
}
