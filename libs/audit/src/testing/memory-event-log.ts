// A small in-memory event log for unit tests of the audit library: appends chained
// like the ledger writer's, reads like the port, and lets a test tamper with what is
// "stored" the way someone with write access to the database file could.
import {
  WrongExpectedVersionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type JsonObject,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StoreHealth,
  type Subscription,
  type UniqueKeyOwner,
} from '#event-store';
import { AUDIT_CHECKPOINTS_STREAM, chainHash, GENESIS_HASH } from '#ledger';
import type { StreamHeadRow } from '../audit-index.queries.js';
import { storedHash } from '../integrity-checkpoint.js';
import type { StreamHeadSource } from '../integrity-checkpointer.js';
import { compareStreamIds } from '../merkle-tree.js';

export class MemoryEventLog implements EventStore {
  events: RecordedEvent[] = [];
  private nextPosition = 1;

  /** Appends events with integrity hashes chained as the ledger writer chains them. */
  appendChained(streamId: string, ...items: { type: string; data?: JsonObject }[]): void {
    const last = this.events
      .filter((event) => event.streamId === streamId)
      .sort((a, b) => b.revision - a.revision)[0];
    let revision = last?.revision ?? -1;
    let hash = last ? storedHash(last) : GENESIS_HASH;
    for (const item of items) {
      revision += 1;
      const id = `${streamId}#${String(revision)}`;
      const data = item.data ?? { n: revision };
      const metadata: JsonObject = { correlationId: id };
      hash = chainHash(hash, { id, streamId, revision, type: item.type, data, metadata });
      this.record(streamId, revision, {
        id,
        type: item.type,
        data,
        metadata: { ...metadata, hash },
      });
    }
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const current = this.lastRevision(streamId);
    const expected = options.expectedRevision;
    const satisfied =
      expected === 'any' ||
      (expected === 'no_stream' && current < 0) ||
      (expected === 'stream_exists' && current >= 0) ||
      expected === current;
    if (!satisfied) {
      return Promise.reject(
        new WrongExpectedVersionError(streamId, expected, current < 0 ? 'no_stream' : current),
      );
    }
    let position = 0;
    events.forEach((event, index) => {
      position = this.record(streamId, current + 1 + index, event);
    });
    return Promise.resolve({
      nextExpectedRevision: current + events.length,
      position,
      alreadyAppended: false,
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.events
      .filter((event) => event.streamId === streamId)
      .sort((a, b) => a.revision - b.revision);
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? Number.MAX_SAFE_INTEGER;
      return Promise.resolve(
        stream
          .filter((event) => event.revision <= from)
          .reverse()
          .slice(0, limit),
      );
    }
    const from = options.fromRevision ?? 0;
    return Promise.resolve(stream.filter((event) => event.revision >= from).slice(0, limit));
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.afterPosition ?? 0;
    return Promise.resolve(
      this.events
        .filter((event) => event.position > after)
        .sort((a, b) => a.position - b.position)
        .slice(0, options.limit ?? 1000),
    );
  }

  headPosition(): Promise<number> {
    return Promise.resolve(Math.max(0, ...this.events.map((event) => event.position)));
  }

  subscribeToAll(): Subscription {
    throw new Error('not used by these tests');
  }

  findUniqueKey(): Promise<UniqueKeyOwner | undefined> {
    return Promise.resolve(undefined);
  }

  health(): Promise<StoreHealth> {
    return Promise.resolve({ status: 'up', store: 'sqlite' });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The stored event at a place of a stream; fails the test when there is none. */
  at(streamId: string, revision: number): RecordedEvent {
    const found = this.events.find(
      (event) => event.streamId === streamId && event.revision === revision,
    );
    if (!found) throw new Error(`no event ${streamId}@${String(revision)}`);
    return found;
  }

  /** Replaces a stored event (the hash stays whatever the replacement carries). */
  replace(
    streamId: string,
    revision: number,
    change: (event: RecordedEvent) => RecordedEvent,
  ): void {
    const original = this.at(streamId, revision);
    this.events = this.events.map((event) => (event === original ? change(event) : event));
  }

  remove(predicate: (event: RecordedEvent) => boolean): void {
    this.events = this.events.filter((event) => !predicate(event));
  }

  /** The heads as the audit read model would have them after `position` (default: all). */
  heads(upTo = Number.MAX_SAFE_INTEGER): Map<string, StreamHeadRow> {
    const heads = new Map<string, StreamHeadRow>();
    for (const event of [...this.events].sort((a, b) => a.position - b.position)) {
      if (event.position > upTo || event.streamId === AUDIT_CHECKPOINTS_STREAM) continue;
      const hash = event.metadata['hash'];
      heads.set(event.streamId, {
        streamId: event.streamId,
        revision: event.revision,
        hash: typeof hash === 'string' ? hash : '',
        position: event.position,
      });
    }
    return heads;
  }

  private lastRevision(streamId: string): number {
    return this.events
      .filter((event) => event.streamId === streamId)
      .reduce((last, event) => Math.max(last, event.revision), -1);
  }

  private record(streamId: string, revision: number, event: EventToAppend): number {
    const position = this.nextPosition;
    this.nextPosition += 1;
    this.events.push({
      ...event,
      streamId,
      revision,
      position,
      recordedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
    });
    return position;
  }
}

/**
 * Stream heads read straight from the log, as the audit read model would hold them
 * once caught up (or up to `reached`, to play a read model that lags).
 */
export function logHeadSource(
  log: MemoryEventLog,
  reached: () => number = () => Number.MAX_SAFE_INTEGER,
): StreamHeadSource {
  const page = (
    select: (head: StreamHeadRow) => boolean,
    order: (a: StreamHeadRow, b: StreamHeadRow) => number,
    limit: number,
  ) => {
    const upTo = Math.min(reached(), Math.max(0, ...log.events.map((event) => event.position)));
    const heads = [...log.heads(upTo).values()].filter(select).sort(order).slice(0, limit);
    return { source: 'memory', position: upTo, heads, last: heads.length < limit };
  };
  return {
    headsFrom: (streamId, limit) =>
      page(
        (head) => head.streamId > streamId,
        (a, b) => compareStreamIds(a.streamId, b.streamId),
        limit,
      ),
    headsAfter: (position, limit) =>
      page(
        (head) => head.position > position,
        (a, b) => a.position - b.position,
        limit,
      ),
    waitForPosition: () => Promise.resolve(true),
  };
}
