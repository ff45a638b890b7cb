/**
 * The event-store port: everything the ledger needs from an event store, and nothing
 * more. Two adapters implement it (embedded SQLite and EventStoreDB) and both pass the
 * contract suite in `libs/event-store/testing`.
 *
 * Revisions and positions are plain numbers: a stream's first event has revision 0;
 * global positions grow in commit order and are > 0, so `0` means "before everything".
 * (EventStoreDB commit positions are 64-bit, but stay far below 2^53 for any log a
 * single cluster can hold.)
 */

/** JSON-serialisable values: what event data and metadata may hold. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface EventToAppend {
  /** UUID chosen by the caller (deterministic upstream), the unit of idempotence. */
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

export interface RecordedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly streamId: string;
  readonly revision: number;
  readonly position: number;
  /** ISO-8601 instant at which the store committed the event. */
  readonly recordedAt: string;
}

/**
 * What the writer believes about the stream: it does not exist yet, anything goes,
 * it exists, or its last event has exactly this revision.
 */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | number;

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /**
   * Keys that must be unique across the whole store, claimed atomically with the
   * append (deduplication keys). A key already claimed by another append fails this
   * append with {@link UniqueKeyViolationError}; nothing of it is written.
   */
  readonly uniqueKeys?: readonly string[];
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event appended: usable as a read-your-writes marker. */
  readonly position: number;
  /** True when every event was already there (a retried append): nothing was written. */
  readonly alreadyAppended: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive; defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: number;
  readonly limit?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with a greater position are returned. Defaults to 0. */
  readonly afterPosition?: number;
  readonly limit?: number;
}

export interface SubscribeOptions {
  /** Exclusive: the subscription starts with the first event after this position. */
  readonly afterPosition?: number;
}

/** Where a unique key was claimed: the append that owns it. */
export interface UniqueKeyOwner {
  readonly key: string;
  readonly streamId: string;
  /** Revision of the first event of the owning append. */
  readonly revision: number;
}

/** A live feed of the global log; iterate it, and stop it when done. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration; pending and future `next()` calls resolve as done. */
  stop(): Promise<void>;
}

export interface StoreHealth {
  readonly status: 'up' | 'down';
  readonly store: 'sqlite' | 'eventstoredb';
  readonly detail?: string;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** Events of one stream; a stream that does not exist reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The global log in commit order (system events excluded). */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catches up from `afterPosition`, then follows live appends until stopped. */
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** The owner of a unique key, or undefined when nobody claimed it. */
  findUniqueKey(key: string): Promise<UniqueKeyOwner | undefined>;
  /** Position of the last event in the global log (0 when empty). */
  headPosition(): Promise<number>;
  health(): Promise<StoreHealth>;
  /** Finishes in-flight appends, then releases the store. */
  close(): Promise<void>;
}
