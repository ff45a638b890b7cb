import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  convertToCommandError,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
} from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  AllStreamResolvedEvent,
  AllStreamSubscription,
  AppendExpectedRevision,
  AppendResult as EsdbAppendResult,
  CurrentRevision,
  Direction,
  EventData,
  Position,
  ReadPosition,
  RecordedEvent as EsdbRecordedEvent,
  StreamingRead,
} from '@eventstore/db-client';
import {
  StoreClosedError,
  StoreUnavailableError,
  UniqueKeyViolationError,
  WrongExpectedVersionError,
} from '../event-store.errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreHealth,
  SubscribeOptions,
  Subscription,
  UniqueKeyOwner,
} from '../event-store.port.js';

/**
 * Namespace of the UUID v5 that names the reservation stream of a key not already
 * shaped as one. Never change it: it names reservation streams already written.
 */
export const UNIQUE_KEY_NAMESPACE = '6e46606c-f7c0-4681-839d-8217f39308e8';

const UNIQUE_KEY_RESERVED = 'UniqueKeyReserved';
const UNIQUE_KEY_RELEASED = 'UniqueKeyReleased';
/** Keys the ledger derives (`dedup-<provider>.<uuid v5>`) are their own reservation stream. */
const LEDGER_KEY_SHAPE = /^dedup-[a-z]+\.[0-9a-f-]+$/;
const UNIQUE_KEY_STREAM_PREFIX = 'unique-key.';
/**
 * Metadata key marking the first event of an append with the appending call's id;
 * `$`-prefixed as EventStoreDB's own metadata, and hidden from readers.
 */
const APPEND_ID = '$appendId';

/** As the SQLite store: a global-log read without a limit returns at most this many. */
const DEFAULT_READ_LIMIT = 1000;
const MAX_PAGE_SIZE = 1000;
const SCAN_PAGE_SIZE = 256;
const HEAD_PAGE_SIZE = 32;
const HEALTH_TIMEOUT_MS = 3000;
const CLAIM_ATTEMPTS = 5;
const RECLAIM_POLLS = 4;
const RECLAIM_POLL_MS = 25;
/** The client reports these when the server cannot answer now; a retry may succeed. */
const UNAVAILABLE_ERRORS: ReadonlySet<ErrorType> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);
/** Gossip discovery (cluster connection strings) gives up with a plain Error. */
const DISCOVERY_FAILURE = /^Failed to discover after \d+ attempts/;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The event store on EventStoreDB (or KurrentDB), through `@eventstore/db-client`.
 *
 * - Positions are commit positions. Every event of a (non-transactional) append has
 *   its own, equal to its prepare position, so they order the log strictly. Stream
 *   reads carry positions from server 22.6 on; older servers give 0.
 * - Unique keys: EventStoreDB has no multi-stream transaction, so each key is first
 *   reserved by creating its own stream (`no_stream`: one writer wins) with a
 *   `UniqueKeyReserved` event naming the append, and the target append follows. A
 *   retry finding its own reservation (a crash between the two appends, or a lost
 *   answer) completes the append. Keys reserved by an append that then fails for
 *   certain (wrong expected version, another key taken) are released by a
 *   `UniqueKeyReleased` event; after an ambiguous failure (server unreachable) they
 *   stay, and the retry with the same event ids reuses them.
 * - `alreadyAppended`: the server answers a retried append (the same ids at the same
 *   place) as it answers a first one, and two concurrent copies of one append both
 *   succeed. So the first event of every append carries a random marker in its
 *   metadata (`$appendId`, hidden from readers) and the events are read back: another
 *   marker means another attempt stored them. A key reserved earlier for the same
 *   append also makes the adapter look for its events anywhere in the stream first.
 *   With `any`/`stream_exists` and no key, a retry relies on the server's best-effort
 *   idempotence (recently written event ids).
 * - The reservation events and system events (`$…`) are hidden from `readAll`,
 *   `subscribeToAll` and `headPosition`.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly subscriptions = new Set<EsdbSubscription>();
  private closing: Promise<void> | undefined;

  private constructor(client: EventStoreDBClient) {
    this.client = client;
  }

  /** `esdb://host:2113?tls=false`, `esdb+discover://…` for a cluster: the client's syntax. */
  static connect(connectionString: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString));
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    return this.track(() => this.append(streamId, events, options));
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.track(() => this.readStreamEvents(streamId, options));
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = Math.max(0, options.afterPosition ?? 0);
    return this.track(() => this.readLog(after, options.limit ?? DEFAULT_READ_LIMIT));
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = Math.max(0, options.afterPosition ?? 0);
    const closed = this.closing !== undefined;
    const subscription = new EsdbSubscription(
      after,
      () => (closed ? Promise.reject(new StoreClosedError()) : this.openSubscription(after)),
      (stopped) => this.subscriptions.delete(stopped),
    );
    if (closed) void subscription.stop();
    else this.subscriptions.add(subscription);
    return subscription;
  }

  findUniqueKey(key: string): Promise<UniqueKeyOwner | undefined> {
    return this.track(async () => {
      const reservation = await this.readReservation(uniqueKeyStreamId(key));
      if (reservation?.kind !== 'reserved') return undefined;
      return {
        key,
        streamId: reservation.streamId,
        revision: await this.ownerRevision(reservation),
      };
    });
  }

  headPosition(): Promise<number> {
    return this.track(async () => {
      let cursor: ReadPosition = END;
      for (;;) {
        const page = await this.readLogPage(cursor, BACKWARDS, HEAD_PAGE_SIZE);
        const head = page.find((event) => isLedgerEvent(event.streamId, event.type));
        if (head) return esdbCommitPosition(head.position);
        const oldest = page.at(-1);
        if (!oldest || page.length < HEAD_PAGE_SIZE) return 0;
        cursor = oldest.position;
      }
    });
  }

  async health(): Promise<StoreHealth> {
    if (this.closing) return { status: 'down', store: 'eventstoredb', detail: 'closed' };
    // Reads have no client deadline: a server that accepts but never answers is down too.
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    const answered = drain(read);
    answered.catch(ignore);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new StoreUnavailableError(`no answer within ${HEALTH_TIMEOUT_MS} ms`));
      }, HEALTH_TIMEOUT_MS);
    });
    try {
      await Promise.race([answered, timedOut]);
      return { status: 'up', store: 'eventstoredb' };
    } catch (error) {
      read.cancel().catch(ignore);
      return { status: 'down', store: 'eventstoredb', detail: esdbStoreError(error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
      await this.client.dispose();
    })();
    return this.closing;
  }

  /** Runs an operation unless closed, so that `close()` can wait for it. */
  private track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new StoreClosedError());
    const running = operation();
    this.inFlight.add(running);
    const forget = () => {
      this.inFlight.delete(running);
    };
    running.then(forget, forget);
    return running;
  }

  private async append(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const expected = options.expectedRevision;
    esdbExpectedRevision(expected); // rejects a bad revision before anything is written
    const [first] = events;
    if (!first) return this.checkExpectation(streamId, expected);

    const owner: KeyOwner = {
      streamId,
      firstEventId: first.id.toLowerCase(),
      firstRevision: firstRevisionHint(expected),
      receipt: { id: first.id, type: first.type, data: first.data, metadata: first.metadata },
    };
    const claims = await this.claimKeys(sortedKeys(options.uniqueKeys), owner);
    let writing = false;
    try {
      // A key reserved earlier for this very append: that attempt may have stored the
      // events anywhere in the stream (its expected revision may differ from this one).
      if (claims.some((claim) => !claim.fresh)) {
        const stored = await this.findStoredAppend(streamId, events, owner.firstRevision);
        if (stored) {
          return {
            nextExpectedRevision: stored.revision,
            position: stored.position,
            alreadyAppended: true,
          };
        }
      }
      writing = true;
      return await this.write(streamId, events, expected);
    } catch (error) {
      // An unanswered write may have stored the events: then their keys must stay.
      if (!(writing && error instanceof StoreUnavailableError)) {
        await this.releaseKeys(
          claims.filter((claim) => claim.fresh),
          owner,
        );
      }
      throw error;
    }
  }

  /**
   * Appends, then reads the events back to tell a write of this call from the
   * server's idempotent answer to a retry or to a concurrent copy (same ids at the
   * same place), which looks the same: the first event carries this call's marker.
   */
  private async write(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const appendId = randomUUID();
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(
        streamId,
        events.map((event, index) => toEventData(event, index === 0 ? appendId : undefined)),
        { expectedRevision: esdbExpectedRevision(expected) },
      );
    } catch (error) {
      throw esdbAppendError(streamId, expected, error);
    }
    if (!result.success) {
      // Only with `throwOnAppendFailure=false` in the connection string.
      throw new WrongExpectedVersionError(streamId, expected, await this.currentRevision(streamId));
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    const appended: AppendResult = {
      nextExpectedRevision,
      position: result.position ? esdbCommitPosition(result.position) : 0,
      alreadyAppended: false,
    };
    let stored: EsdbRecordedEvent[];
    try {
      stored = await this.readRawStream(streamId, {
        fromRevision: nextExpectedRevision - events.length + 1,
        limit: events.length,
      });
    } catch {
      // The events are stored; not knowing by whom, the common case: by this call.
      return appended;
    }
    const last = stored.at(-1);
    return {
      ...appended,
      position:
        last && esdbCommitPosition(last.position) > 0
          ? esdbCommitPosition(last.position)
          : appended.position,
      alreadyAppended: stored[0] !== undefined && appendIdOf(stored[0]) !== appendId,
    };
  }

  /** The last stored event of an earlier attempt of this append, if all its ids are in place. */
  private async findStoredAppend(
    streamId: string,
    events: readonly EventToAppend[],
    expectedFirstRevision: number,
  ): Promise<RecordedEvent | undefined> {
    const [first] = events;
    if (!first) return undefined;
    const storedAt = async (revision: number) => {
      const stored = await this.readStreamEvents(streamId, {
        fromRevision: revision,
        limit: events.length,
      });
      const same =
        stored.length === events.length &&
        stored.every((event, index) => sameId(event.id, events[index]?.id));
      return { found: same ? stored.at(-1) : undefined, empty: stored.length === 0 };
    };
    if (expectedFirstRevision >= 0) {
      // The attempt holding the key may be writing right now (a concurrent copy), and
      // the server stalls a copy of a write it has not flushed yet: while the place
      // is free, give that attempt a moment before writing over it.
      for (let poll = 1; ; poll += 1) {
        const { found, empty } = await storedAt(expectedFirstRevision);
        if (found) return found;
        if (!empty || poll >= RECLAIM_POLLS) break;
        await sleep(RECLAIM_POLL_MS);
      }
    }
    const revision = await this.findRevisionOf(streamId, first.id);
    if (revision === undefined || revision === expectedFirstRevision) return undefined;
    return (await storedAt(revision)).found;
  }

  /** An empty append writes nothing; it only checks the expected revision. */
  private async checkExpectation(
    streamId: string,
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const current = await this.currentRevision(streamId);
    if (!expectationHolds(expected, current)) {
      throw new WrongExpectedVersionError(streamId, expected, current);
    }
    return {
      nextExpectedRevision: current === 'no_stream' ? -1 : current,
      position: 0,
      alreadyAppended: false,
    };
  }

  /**
   * Claims the keys one after the other in sorted order, so that two appends sharing
   * two keys cannot each take one and both fail. A key owned by another append
   * releases the keys this call reserved and fails it.
   */
  private async claimKeys(keys: readonly string[], owner: KeyOwner): Promise<KeyClaim[]> {
    const claims: KeyClaim[] = [];
    try {
      for (const key of keys) claims.push(await this.claimKey(key, owner));
      return claims;
    } catch (error) {
      await this.releaseKeys(
        claims.filter((claim) => claim.fresh),
        owner,
      );
      throw error;
    }
  }

  private async claimKey(key: string, owner: KeyOwner): Promise<KeyClaim> {
    const reservationStream = uniqueKeyStreamId(key);
    let expected: AppendExpectedRevision = NO_STREAM;
    for (let attempt = 1; ; attempt += 1) {
      const revision = await this.tryAppendReservation(reservationStream, expected, key, owner);
      if (revision !== undefined) return { key, reservationStream, revision, fresh: true };

      const current = await this.readReservation(reservationStream);
      if (current?.kind === 'reserved') {
        if (isSameOwner(current, owner)) {
          return { key, reservationStream, revision: current.revision, fresh: false };
        }
        throw new UniqueKeyViolationError(key, {
          streamId: current.streamId,
          revision: await this.ownerRevision(current),
        });
      }
      if (attempt >= CLAIM_ATTEMPTS) {
        throw new StoreUnavailableError(`Unique key ${key} is contended; retry later`);
      }
      // Released: claim it again where its stream now stands.
      expected = current ? BigInt(current.revision) : NO_STREAM;
    }
  }

  /** The reservation event's revision, or undefined when the stream moved first. */
  private async tryAppendReservation(
    reservationStream: string,
    expected: AppendExpectedRevision,
    key: string,
    owner: KeyOwner,
  ): Promise<number | undefined> {
    // A random id: a retried reservation must fail, not pass as idempotent, so that
    // "newly reserved" stays proof that no earlier attempt got further.
    const event = jsonEvent({
      id: randomUUID(),
      type: UNIQUE_KEY_RESERVED,
      data: { key, ...owner },
      metadata: {},
    });
    try {
      const result = await this.client.appendToStream(reservationStream, event, {
        expectedRevision: expected,
      });
      return result.success ? Number(result.nextExpectedRevision) : undefined;
    } catch (error) {
      if (toCommandError(error) instanceof EsdbWrongExpectedVersionError) return undefined;
      throw esdbStoreError(error);
    }
  }

  /**
   * Best effort: a release that fails (server gone) leaves the key reserved for an
   * append that never happened; a redelivery with the same event ids still completes.
   */
  private async releaseKeys(claims: readonly KeyClaim[], owner: KeyOwner): Promise<void> {
    await Promise.allSettled(
      claims.map((claim) =>
        this.client.appendToStream(
          claim.reservationStream,
          jsonEvent({
            id: randomUUID(),
            type: UNIQUE_KEY_RELEASED,
            data: { key: claim.key, streamId: owner.streamId, firstEventId: owner.firstEventId },
            metadata: {},
          }),
          { expectedRevision: BigInt(claim.revision) },
        ),
      ),
    );
  }

  private async readReservation(
    reservationStream: string,
  ): Promise<UniqueKeyReservation | undefined> {
    const [last] = await this.readStreamEvents(reservationStream, {
      direction: 'backwards',
      limit: 1,
    });
    if (!last) return undefined;
    const reservation = parseUniqueKeyReservation(last);
    if (!reservation) {
      throw new Error(`Stream ${reservationStream} holds ${last.type}, not a key reservation`);
    }
    return reservation;
  }

  /**
   * Revision of the owning append's first event: where the reservation expected it,
   * else found in the stream; when that append is not stored (yet), the expected
   * revision, -1 if it was appended with `any` or `stream_exists`.
   */
  private async ownerRevision(reservation: UniqueKeyReservation): Promise<number> {
    const { streamId, firstEventId, firstRevision } = reservation;
    if (firstRevision >= 0) {
      const [atHint] = await this.readStreamEvents(streamId, {
        fromRevision: firstRevision,
        limit: 1,
      });
      if (atHint && sameId(atHint.id, firstEventId)) return atHint.revision;
    }
    return (await this.findRevisionOf(streamId, firstEventId)) ?? firstRevision;
  }

  /** Scans a stream from its end: a retry or a duplicate usually follows closely. */
  private async findRevisionOf(streamId: string, eventId: string): Promise<number | undefined> {
    let from: number | undefined;
    for (;;) {
      const page = await this.readStreamEvents(streamId, {
        direction: 'backwards',
        fromRevision: from,
        limit: SCAN_PAGE_SIZE,
      });
      const found = page.find((event) => sameId(event.id, eventId));
      if (found) return found.revision;
      const oldest = page.at(-1);
      if (!oldest || page.length < SCAN_PAGE_SIZE || oldest.revision === 0) return undefined;
      from = oldest.revision - 1;
    }
  }

  private async currentRevision(streamId: string): Promise<number | 'no_stream'> {
    const [last] = await this.readStreamEvents(streamId, { direction: 'backwards', limit: 1 });
    return last ? last.revision : 'no_stream';
  }

  private async readStreamEvents(
    streamId: string,
    options: ReadStreamOptions,
  ): Promise<RecordedEvent[]> {
    return (await this.readRawStream(streamId, options)).map(esdbRecordedEvent);
  }

  private async readRawStream(
    streamId: string,
    options: ReadStreamOptions,
  ): Promise<EsdbRecordedEvent[]> {
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    if (limit <= 0 || (backwards && from !== undefined && from < 0)) return [];
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: from === undefined ? (backwards ? END : START) : BigInt(Math.max(0, from)),
      maxCount: limit,
    });
    try {
      const resolved = await drain(read);
      return resolved.flatMap(({ event }) => (event ? [event] : []));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw esdbStoreError(error);
    }
  }

  private async readLog(after: number, limit: number): Promise<RecordedEvent[]> {
    if (limit <= 0) return [];
    if (after === 0) return this.readLogFrom(START, after, limit);
    try {
      return await this.readLogFrom(positionAt(after), after, limit);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      // The server reads $all only from record boundaries (an event's position);
      // any other number starts from the last event at or before it.
      return this.readLogFrom(await this.eventAtOrBefore(after), after, limit);
    }
  }

  private async readLogFrom(
    from: ReadPosition,
    after: number,
    limit: number,
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let cursor = from;
    let seen: Position | undefined;
    for (;;) {
      // +1: a page starts with the event the previous one ended on (reads are inclusive).
      const pageSize = Math.min(limit - events.length + 1, MAX_PAGE_SIZE);
      const page = await this.readLogPage(cursor, FORWARDS, pageSize);
      for (const event of page) {
        if (seen && !isAfter(event.position, seen)) continue;
        seen = event.position;
        if (
          events.length < limit &&
          esdbCommitPosition(event.position) > after &&
          isLedgerEvent(event.streamId, event.type)
        ) {
          events.push(esdbRecordedEvent(event));
        }
      }
      if (!seen || page.length < pageSize || events.length >= limit) return events;
      cursor = seen;
    }
  }

  private async readLogPage(
    from: ReadPosition,
    direction: Direction,
    maxCount: number,
  ): Promise<AllStreamRecordedEvent[]> {
    try {
      const resolved = await drain(
        this.client.readAll({ fromPosition: from, direction, maxCount }),
      );
      return resolved.flatMap(({ event }) => (event ? [event] : []));
    } catch (error) {
      throw esdbStoreError(error);
    }
  }

  /** The position of the last event at or before `position`, START when none. */
  private async eventAtOrBefore(position: number): Promise<ReadPosition> {
    let cursor: ReadPosition = END;
    for (;;) {
      const page = await this.readLogPage(cursor, BACKWARDS, SCAN_PAGE_SIZE);
      const found = page.find((event) => esdbCommitPosition(event.position) <= position);
      if (found) return found.position;
      const oldest = page.at(-1);
      if (!oldest || page.length < SCAN_PAGE_SIZE) return START;
      cursor = oldest.position;
    }
  }

  private async openSubscription(after: number): Promise<AllStreamSubscription> {
    let fromPosition: ReadPosition = START;
    if (after > 0) {
      try {
        // Probes that `after` is an event's position, which the server requires.
        await this.readLogPage(positionAt(after), FORWARDS, 1);
        fromPosition = positionAt(after);
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw error;
        fromPosition = await this.eventAtOrBefore(after);
      }
    }
    const subscription = this.client.subscribeToAll({
      fromPosition,
      filter: excludeSystemEvents(),
    });
    subscription.on('error', ignore);
    return subscription;
  }
}

/** A catch-up subscription to $all, skipping what is at or before `after`. */
class EsdbSubscription implements Subscription {
  private readonly after: number;
  private readonly onStop: (subscription: EsdbSubscription) => void;
  private readonly opening: Promise<AllStreamSubscription>;
  private readonly stopSignal: Promise<IteratorReturnResult<undefined>>;
  private signalStop: () => void = ignore;
  private source: AsyncIterator<AllStreamResolvedEvent> | undefined;
  private stopped = false;

  constructor(
    after: number,
    open: () => Promise<AllStreamSubscription>,
    onStop: (subscription: EsdbSubscription) => void,
  ) {
    this.after = after;
    this.onStop = onStop;
    this.stopSignal = new Promise((resolve) => {
      this.signalStop = () => {
        resolve(DONE);
      };
    });
    this.opening = open();
    // A failure to open surfaces from next(); until then it must not go unhandled.
    this.opening.catch(ignore);
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.stop();
        return DONE;
      },
    };
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.signalStop();
    this.onStop(this);
    // Not awaiting an opening that may hang on an unreachable server.
    const unsubscribed = this.opening.then((subscription) => subscription.unsubscribe());
    unsubscribed.catch(ignore);
    if (this.source) await unsubscribed.catch(ignore);
  }

  private async next(): Promise<IteratorResult<RecordedEvent>> {
    if (this.stopped) return DONE;
    const pulled = this.pull();
    pulled.catch(ignore);
    try {
      return await Promise.race([pulled, this.stopSignal]);
    } catch (error) {
      // Stopping cancels the server's stream, which may fail the pending read.
      if (this.hasStopped()) return DONE;
      throw esdbStoreError(error);
    }
  }

  /** A method, not the field: narrowing would assume the field unchanged across `await`. */
  private hasStopped(): boolean {
    return this.stopped;
  }

  private async pull(): Promise<IteratorResult<RecordedEvent>> {
    this.source ??= (await this.opening)[Symbol.asyncIterator]();
    const source = this.source;
    for (;;) {
      const step = await source.next();
      if (step.done || this.stopped) return DONE;
      const { event } = step.value;
      if (
        event &&
        esdbCommitPosition(event.position) > this.after &&
        isLedgerEvent(event.streamId, event.type)
      ) {
        return { done: false, value: esdbRecordedEvent(event) };
      }
    }
  }
}

/** The append a key reservation names. */
interface KeyOwner {
  readonly streamId: string;
  /** Lower-cased, as the server returns event ids. */
  readonly firstEventId: string;
  /** Where the first event was expected to land; -1 for `any` and `stream_exists`. */
  readonly firstRevision: number;
  /**
   * The append's first event — the ledger's receipt — as appended: intake.md reserves a
   * key by appending the receipt to its stream, so the reservation stream shows whose
   * delivery holds the key even before the target append lands.
   */
  readonly receipt: JsonObject;
}

interface KeyClaim {
  readonly key: string;
  readonly reservationStream: string;
  /** Revision of the reservation event in its stream. */
  readonly revision: number;
  /** Reserved by this call, not found from an earlier attempt of the same append. */
  readonly fresh: boolean;
}

/** The last event of a reservation stream, and the append it names. */
export interface UniqueKeyReservation {
  readonly kind: 'reserved' | 'released';
  /** Revision of this event in the reservation stream. */
  readonly revision: number;
  readonly streamId: string;
  readonly firstEventId: string;
  /** -1 when unknown (the append expected `any` or `stream_exists`). */
  readonly firstRevision: number;
}

export function esdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`Expected revision must be a revision (0 or more): ${expected}`);
      }
      return BigInt(expected);
  }
}

/** Revision the first appended event takes if the expectation holds; -1 when unknown. */
export function firstRevisionHint(expected: ExpectedRevision): number {
  if (expected === 'no_stream') return 0;
  return typeof expected === 'number' ? expected + 1 : -1;
}

export function expectationHolds(
  expected: ExpectedRevision,
  current: number | 'no_stream',
): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === 'no_stream';
    case 'stream_exists':
      return current !== 'no_stream';
    default:
      return expected === current;
  }
}

/** The client's current revision: a bigint, or 'no_stream' (-1 on some paths). */
export function esdbActualRevision(current: CurrentRevision): number | 'no_stream' {
  return typeof current === 'bigint' && current >= 0n ? Number(current) : 'no_stream';
}

/**
 * The port's error for a client error: unreachable, timed out or not leader →
 * StoreUnavailableError; raw gRPC errors are first converted the client's way.
 */
export function esdbStoreError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error('EventStoreDB client failed', { cause: error });
  const converted = convertToCommandError(error);
  const unavailable = isCommandError(converted)
    ? UNAVAILABLE_ERRORS.has(converted.type)
    : DISCOVERY_FAILURE.test(converted.message);
  return unavailable
    ? new StoreUnavailableError(`EventStoreDB is unavailable: ${converted.message}`, {
        cause: converted,
      })
    : converted;
}

export function esdbAppendError(
  streamId: string,
  expected: ExpectedRevision,
  error: unknown,
): Error {
  const converted = toCommandError(error);
  if (converted instanceof EsdbWrongExpectedVersionError) {
    return new WrongExpectedVersionError(
      streamId,
      expected,
      esdbActualRevision(converted.actualVersion),
    );
  }
  return esdbStoreError(error);
}

export function esdbRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    data: jsonObject(event.data),
    metadata: withoutAppendId(jsonObject(event.metadata)),
    streamId: event.streamId,
    revision: Number(event.revision),
    position: esdbCommitPosition(event.position),
    recordedAt: event.created.toISOString(),
  };
}

/** Unknown (a stream read on a server before 22.6, which sends none or -1): 0. */
export function esdbCommitPosition(position: Position | undefined): number {
  if (!position || position.commit > BigInt(Number.MAX_SAFE_INTEGER)) return 0;
  return Number(position.commit);
}

/** The reservation stream of a unique key. */
export function uniqueKeyStreamId(key: string): string {
  return LEDGER_KEY_SHAPE.test(key)
    ? key
    : `${UNIQUE_KEY_STREAM_PREFIX}${uuidV5(key, UNIQUE_KEY_NAMESPACE)}`;
}

/** Whether an event of the global log is the ledger's: not a system or reservation event. */
export function isLedgerEvent(streamId: string, type: string): boolean {
  if (type.startsWith('$') || streamId.startsWith('$')) return false;
  const reservation = type === UNIQUE_KEY_RESERVED || type === UNIQUE_KEY_RELEASED;
  return !(
    reservation &&
    (LEDGER_KEY_SHAPE.test(streamId) || streamId.startsWith(UNIQUE_KEY_STREAM_PREFIX))
  );
}

export function parseUniqueKeyReservation(event: RecordedEvent): UniqueKeyReservation | undefined {
  const kind =
    event.type === UNIQUE_KEY_RESERVED
      ? 'reserved'
      : event.type === UNIQUE_KEY_RELEASED
        ? 'released'
        : undefined;
  const { streamId, firstEventId, firstRevision } = event.data;
  if (!kind || typeof streamId !== 'string' || typeof firstEventId !== 'string') return undefined;
  return {
    kind,
    revision: event.revision,
    streamId,
    firstEventId: firstEventId.toLowerCase(),
    firstRevision: typeof firstRevision === 'number' ? firstRevision : -1,
  };
}

/** RFC 4122 name-based UUID (version 5, SHA-1). */
export function uuidV5(name: string, namespace: string): string {
  const namespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  if (namespaceBytes.length !== 16) throw new RangeError(`Not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x50, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function isSameOwner(reservation: UniqueKeyReservation, owner: KeyOwner): boolean {
  return (
    reservation.streamId === owner.streamId && sameId(reservation.firstEventId, owner.firstEventId)
  );
}

function sortedKeys(keys: readonly string[] | undefined): string[] {
  return [...new Set(keys ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function sameId(stored: string, expected: string | undefined): boolean {
  return expected !== undefined && stored.toLowerCase() === expected.toLowerCase();
}

function positionAt(position: number): Position {
  const value = BigInt(position);
  return { commit: value, prepare: value };
}

function isAfter(position: Position, other: Position): boolean {
  return (
    position.commit > other.commit ||
    (position.commit === other.commit && position.prepare > other.prepare)
  );
}

function toEventData(event: EventToAppend, appendId: string | undefined): EventData {
  const metadata =
    appendId === undefined ? event.metadata : { ...event.metadata, [APPEND_ID]: appendId };
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata });
}

function appendIdOf(event: EsdbRecordedEvent): JsonObject[string] | undefined {
  return jsonObject(event.metadata)[APPEND_ID];
}

function toCommandError(error: unknown): unknown {
  return error instanceof Error ? convertToCommandError(error) : error;
}

/** The store's marker is not the caller's metadata. */
function withoutAppendId(metadata: JsonObject): JsonObject {
  if (!(APPEND_ID in metadata)) return metadata;
  const { [APPEND_ID]: _, ...callers } = metadata;
  return callers;
}

/** Events are JSON objects here; anything else (binary, foreign writers) reads as {}. */
function jsonObject(value: unknown): JsonObject {
  if (value instanceof Uint8Array) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(value).toString('utf8'));
      return jsonObject(parsed);
    } catch {
      return {};
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

async function drain<T>(read: StreamingRead<T>): Promise<T[]> {
  // The client may emit an error after the iteration ended; unheard, it would crash.
  read.on('error', ignore);
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}

function ignore(): void {
  // Deliberately nothing.
}
