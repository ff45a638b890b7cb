import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
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
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreHealth,
  SubscribeOptions,
  Subscription,
  UniqueKeyOwner,
} from '../event-store.port.js';
import { migrate } from './sqlite-migrations.js';
import { AppendSignal, PollingSubscription } from './polling-subscription.js';

export interface SqliteEventStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  readonly file: string;
  /**
   * How often an idle subscription looks for events appended by another process
   * (the CLI next to the API); appends of this process wake it at once.
   */
  readonly pollIntervalMs?: number;
  /**
   * `true` (default) gathers the appends requested during one event-loop turn into
   * one transaction; `false` commits each append on its own (the benchmark baseline).
   */
  readonly groupCommit?: boolean;
}

/** Batch size statistics, for metrics: how many appends each commit carried. */
export type CommitObserver = (appendsInCommit: number, eventsInCommit: number) => void;

type EventRow = [
  position: number,
  streamId: string,
  revision: number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
  recordedAt: string,
];

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly options: AppendOptions;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

/** Revisions of streams written earlier in the commit being built (-1: no stream). */
type RevisionsInCommit = Map<string, number>;

const NO_STREAM = -1;
const DEFAULT_READ_LIMIT = 1000;
const UNAVAILABLE_CODES =
  /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|PROTOCOL|NOTADB|CORRUPT)/;

/**
 * The embedded event store: one SQLite file in WAL mode with `synchronous=FULL`, so
 * an append is on disk before its promise resolves. Appends requested while the
 * event loop is busy are group-committed: one transaction (one fsync) for all of
 * them, each append in its own savepoint so one caller's conflict never fails
 * another's.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database;
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly pollIntervalMs: number;
  private readonly groupCommit: boolean;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly commitObservers: CommitObserver[] = [];

  private constructor(db: Database, options: SqliteEventStoreOptions) {
    this.db = db;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.groupCommit = options.groupCommit ?? true;
    this.statements = prepareStatements(db);
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    mkdirSync(dirname(options.file), { recursive: true });
    try {
      const db = new BetterSqlite3(options.file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      // Short: the event loop blocks while SQLite waits; a longer lock is a 503.
      db.pragma('busy_timeout = 50');
      migrate(db);
      return new SqliteEventStore(db, options);
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Observes every commit (metrics, and telling projections in a worker thread). */
  onCommit(observer: CommitObserver): void {
    this.commitObservers.push(observer);
  }

  /**
   * Another connection (another thread or process) appended: wake this store's waiting
   * subscriptions now rather than at their next poll.
   */
  noticeExternalAppend(): void {
    this.signal.wakeAll();
  }

  appendToStream(
    streamId: string,
    events: readonly EventToAppend[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, options, resolve, reject });
      if (!this.groupCommit) {
        this.flush();
      } else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flush();
        });
      }
    });
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.run(() => {
      const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
      const rows =
        options.direction === 'backwards'
          ? this.statements.readStreamBackwards.all(
              streamId,
              options.fromRevision ?? Number.MAX_SAFE_INTEGER,
              limit,
            )
          : this.statements.readStreamForwards.all(streamId, options.fromRevision ?? 0, limit);
      return (rows as EventRow[]).map(toRecordedEvent);
    });
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return this.run(() => this.readAllNow(options.afterPosition ?? 0, options.limit));
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription = new PollingSubscription({
      afterPosition: options.afterPosition ?? 0,
      read: (after, limit) => this.readAllNow(after, limit),
      waitForAppend: () => this.signal.wait(this.pollIntervalMs),
      onStop: (stopped) => {
        this.subscriptions.delete(stopped);
        this.signal.wakeAll();
      },
    });
    if (this.closed) void subscription.stop();
    else this.subscriptions.add(subscription);
    return subscription;
  }

  findUniqueKey(key: string): Promise<UniqueKeyOwner | undefined> {
    return this.run(() => {
      const row = this.statements.findUniqueKey.get(key) as
        { stream_id: string; revision: number } | undefined;
      return row && { key, streamId: row.stream_id, revision: row.revision };
    });
  }

  headPosition(): Promise<number> {
    return this.run(() => (this.statements.headPosition.get() as number | null) ?? 0);
  }

  health(): Promise<StoreHealth> {
    if (this.closed) return Promise.resolve({ status: 'down', store: 'sqlite', detail: 'closed' });
    try {
      // A write lock proves the file is writable and not held by another process.
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
      return Promise.resolve({ status: 'up', store: 'sqlite' });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return Promise.resolve({ status: 'down', store: 'sqlite', detail });
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.flush();
    this.closed = true;
    const stopping = [...this.subscriptions].map((subscription) => subscription.stop());
    this.signal.wakeAll();
    this.db.close();
    return Promise.all(stopping).then(() => undefined);
  }

  private readAllNow(afterPosition: number, limit = DEFAULT_READ_LIMIT): RecordedEvent[] {
    if (this.closed) throw new StoreClosedError();
    return (this.statements.readAll.all(afterPosition, limit) as EventRow[]).map(toRecordedEvent);
  }

  /** Commits every queued append in one transaction and settles each caller. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: (AppendResult | Error)[] = [];
    let eventsWritten = 0;
    try {
      this.statements.begin.run();
      const recordedAt = new Date().toISOString();
      const revisions: RevisionsInCommit = new Map();
      for (const append of batch) {
        this.statements.savepoint.run();
        try {
          const result = this.write(append, recordedAt, revisions);
          this.statements.release.run();
          if (!result.alreadyAppended) eventsWritten += append.events.length;
          outcomes.push(result);
        } catch (error) {
          this.statements.rollbackTo.run();
          this.statements.release.run();
          // A SQLite failure fails the whole commit; anything else is this caller's.
          if (isSqliteError(error)) throw error;
          outcomes.push(error instanceof Error ? error : new Error(String(error)));
        }
      }
      this.statements.commit.run();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      const failure = translateError(error);
      for (const append of batch) append.reject(failure);
      return;
    }
    batch.forEach((append, index) => {
      const outcome = outcomes[index];
      if (outcome instanceof Error) append.reject(outcome);
      else if (outcome) append.resolve(outcome);
    });
    for (const observer of this.commitObservers) observer(batch.length, eventsWritten);
    if (eventsWritten > 0) this.signal.wakeAll();
  }

  private write(
    append: PendingAppend,
    recordedAt: string,
    revisions: RevisionsInCommit,
  ): AppendResult {
    const { streamId, events, options } = append;
    const current = revisions.get(streamId) ?? this.currentRevision(streamId);
    const expected = options.expectedRevision;

    const retried = this.findRetriedAppend(streamId, events, expected, current);
    if (retried) return retried;

    const satisfied =
      expected === 'any' ||
      (expected === 'no_stream' && current === NO_STREAM) ||
      (expected === 'stream_exists' && current !== NO_STREAM) ||
      expected === current;
    if (!satisfied) {
      throw new WrongExpectedVersionError(
        streamId,
        expected,
        current === NO_STREAM ? 'no_stream' : current,
      );
    }
    if (events.length === 0) {
      return { nextExpectedRevision: current, position: 0, alreadyAppended: false };
    }

    const firstRevision = current + 1;
    for (const key of options.uniqueKeys ?? []) {
      const owner = this.statements.findUniqueKey.get(key) as
        { stream_id: string; revision: number } | undefined;
      if (owner) {
        throw new UniqueKeyViolationError(key, {
          streamId: owner.stream_id,
          revision: owner.revision,
        });
      }
      this.statements.insertUniqueKey.run(key, streamId, firstRevision);
    }

    let position = 0;
    events.forEach((event, index) => {
      const inserted = this.statements.insertEvent.run(
        streamId,
        firstRevision + index,
        event.id,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      );
      position = Number(inserted.lastInsertRowid);
    });
    const nextExpectedRevision = current + events.length;
    revisions.set(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position, alreadyAppended: false };
  }

  /**
   * A retried append (the same event ids already at the place the writer meant) is
   * an idempotent success: the original result is returned and nothing is written.
   */
  private findRetriedAppend(
    streamId: string,
    events: readonly EventToAppend[],
    expected: AppendOptions['expectedRevision'],
    current: number,
  ): AppendResult | undefined {
    const first = events[0];
    if (!first || current === NO_STREAM) return undefined;
    let firstRevision: number;
    if (typeof expected === 'number' || expected === 'no_stream') {
      firstRevision = expected === 'no_stream' ? 0 : expected + 1;
      if (firstRevision > current) return undefined;
    } else {
      const found = this.statements.findEventRevision.get(streamId, first.id) as number | undefined;
      if (found === undefined) return undefined;
      firstRevision = found;
    }
    const stored = this.statements.readIdsFrom.all(streamId, firstRevision, events.length) as [
      string,
      number,
    ][];
    const matches =
      stored.length === events.length && stored.every(([id], index) => id === events[index]?.id);
    if (!matches) return undefined;
    const lastPosition = stored[stored.length - 1]?.[1] ?? 0;
    return {
      nextExpectedRevision: firstRevision + events.length - 1,
      position: lastPosition,
      alreadyAppended: true,
    };
  }

  private currentRevision(streamId: string): number {
    const revision = this.statements.streamRevision.get(streamId) as number | undefined;
    return revision ?? NO_STREAM;
  }

  private run<T>(read: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    try {
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(translateError(error));
    }
  }
}

const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';

function prepareStatements(db: Database) {
  const raw = (sql: string): Statement => db.prepare(sql).raw(true);
  const pluck = (sql: string): Statement => db.prepare(sql).pluck(true);
  return {
    // Prepared once: `exec` would parse these on every append of a group commit.
    begin: db.prepare('BEGIN IMMEDIATE'),
    savepoint: db.prepare('SAVEPOINT append'),
    release: db.prepare('RELEASE append'),
    rollbackTo: db.prepare('ROLLBACK TO append'),
    commit: db.prepare('COMMIT'),
    insertEvent: db.prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertUniqueKey: db.prepare(
      'INSERT INTO unique_keys (key, stream_id, revision) VALUES (?, ?, ?)',
    ),
    findUniqueKey: db.prepare('SELECT stream_id, revision FROM unique_keys WHERE key = ?'),
    streamRevision: pluck(
      'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    findEventRevision: pluck('SELECT revision FROM events WHERE stream_id = ? AND event_id = ?'),
    readIdsFrom: raw(
      `SELECT event_id, position FROM events WHERE stream_id = ? AND revision >= ?
       ORDER BY revision LIMIT ?`,
    ),
    readStreamForwards: raw(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ?
       ORDER BY revision LIMIT ?`,
    ),
    readStreamBackwards: raw(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ?
       ORDER BY revision DESC LIMIT ?`,
    ),
    readAll: raw(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    headPosition: pluck('SELECT MAX(position) FROM events'),
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: row[0],
    streamId: row[1],
    revision: row[2],
    id: row[3],
    type: row[4],
    data: JSON.parse(row[5]) as JsonObject,
    metadata: JSON.parse(row[6]) as JsonObject,
    recordedAt: row[7],
  };
}

/**
 * Recognised by its code, not by `instanceof`: the addon registers its error class once
 * per process, so code loaded in another realm (a test runner's module registry) sees
 * errors of a class that is not its own.
 */
function isSqliteError(error: unknown): error is Error & { code: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    (error as { code: string }).code.startsWith('SQLITE_')
  );
}

function translateError(error: unknown): Error {
  if (isSqliteError(error) && UNAVAILABLE_CODES.test(error.code)) {
    return new StoreUnavailableError(`SQLite event store unavailable: ${error.message}`, {
      cause: error,
    });
  }
  return error instanceof Error || isSqliteError(error) ? error : new Error(String(error));
}
