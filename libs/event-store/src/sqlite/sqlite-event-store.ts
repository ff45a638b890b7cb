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
import { AppendWorkerClient } from './append-worker.client.js';
import { AppendSignal, PollingSubscription } from './polling-subscription.js';
import {
  isRefusal,
  openStoreDatabase,
  SqliteCommitter,
  type AppendOutcome,
  type AppendRefusal,
  type AppendRequest,
} from './sqlite-committer.js';

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
  /**
   * The compiled `sqlite-append.worker.js`: commits (and their fsync) then run in a
   * worker thread, off the caller's event loop — what the API does. Without it they run
   * on the caller's thread (CLI, tests, benchmark seeding).
   */
  readonly appendWorker?: string | URL;
}

/** The compiled append worker, beside this module in `dist/`. */
export const SQLITE_APPEND_WORKER_SCRIPT = new URL('./sqlite-append.worker.js', import.meta.url);

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
  readonly request: AppendRequest;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

const DEFAULT_READ_LIMIT = 1000;
const UNAVAILABLE_CODES =
  /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|PROTOCOL|NOTADB|CORRUPT)/;

/**
 * The embedded event store: one SQLite file in WAL mode with `synchronous=FULL`, so
 * an append is on disk before its promise resolves. Appends requested while the
 * event loop is busy — or while the previous commit is being written — are
 * group-committed: one transaction (one fsync) for all of them; an append is checked
 * before it writes, so one caller's conflict never fails another's. Reads use this thread's
 * connection; commits run here or in the append worker.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database;
  private readonly signal = new AppendSignal();
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly pollIntervalMs: number;
  private readonly groupCommit: boolean;
  private readonly statements: ReturnType<typeof prepareReads>;
  private readonly commitRequests: (requests: readonly AppendRequest[]) => Promise<AppendOutcome[]>;
  private readonly appendWorker: AppendWorkerClient | undefined;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private committing: Promise<void> | undefined;
  private closed = false;
  private readonly commitObservers: CommitObserver[] = [];

  private constructor(db: Database, options: SqliteEventStoreOptions) {
    this.db = db;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.groupCommit = options.groupCommit ?? true;
    this.statements = prepareReads(db);
    if (options.appendWorker) {
      const worker = new AppendWorkerClient(options.appendWorker, { file: options.file });
      this.appendWorker = worker;
      this.commitRequests = (requests) => worker.commit(requests);
    } else {
      const committer = new SqliteCommitter(db);
      // What the committer throws is passed on as thrown: `translateError` reads SQLite's
      // code (a SqliteError from another realm, as in a test runner, is no `Error` here).
      // eslint-disable-next-line @typescript-eslint/require-await -- rejects with what it throws
      this.commitRequests = async (requests) => committer.commit(requests);
    }
  }

  static open(options: SqliteEventStoreOptions): SqliteEventStore {
    try {
      return new SqliteEventStore(openStoreDatabase(options.file), options);
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
    let request: AppendRequest;
    try {
      // Serialised here, once: the rows take the text, and text crosses to the worker cheaply.
      request = {
        streamId,
        expectedRevision: options.expectedRevision,
        uniqueKeys: options.uniqueKeys ?? [],
        events: events.map((event) => ({
          id: event.id,
          type: event.type,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata),
        })),
      };
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.scheduleFlush();
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

  async health(): Promise<StoreHealth> {
    if (this.closed) return { status: 'down', store: 'sqlite', detail: 'closed' };
    if (this.appendWorker) {
      const problem = await this.appendWorker.check();
      return problem === undefined
        ? { status: 'up', store: 'sqlite' }
        : { status: 'down', store: 'sqlite', detail: problem };
    }
    try {
      // A write lock proves the file is writable and not held by another process.
      this.db.exec('BEGIN IMMEDIATE');
      this.db.exec('ROLLBACK');
      return { status: 'up', store: 'sqlite' };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return { status: 'down', store: 'sqlite', detail };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drain();
    await this.appendWorker?.close();
    const stopping = [...this.subscriptions].map((subscription) => subscription.stop());
    this.signal.wakeAll();
    this.db.close();
    await Promise.all(stopping);
  }

  private readAllNow(afterPosition: number, limit = DEFAULT_READ_LIMIT): RecordedEvent[] {
    if (this.closed) throw new StoreClosedError();
    return (this.statements.readAll.all(afterPosition, limit) as EventRow[]).map(toRecordedEvent);
  }

  /** Flushes once the current turn's appends are queued, unless a commit is in flight. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.committing) this.startFlush();
    });
  }

  private startFlush(): void {
    this.committing = this.flush().finally(() => {
      this.committing = undefined;
      // Appends that arrived during the commit form the next group.
      if (this.queue.length > 0) this.scheduleFlush();
    });
  }

  /** Until nothing is queued or being committed. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.committing) await this.committing;
      else if (this.queue.length > 0) this.startFlush();
      else return;
    }
  }

  /** Commits every queued append (in one transaction, or one each) and settles each caller. */
  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const groups = this.groupCommit ? [batch] : batch.map((append) => [append]);
    for (const group of groups) {
      if (group.length > 0) await this.commit(group);
    }
  }

  private async commit(group: readonly PendingAppend[]): Promise<void> {
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.commitRequests(group.map((append) => append.request));
    } catch (error) {
      const failure = translateError(error);
      for (const append of group) append.reject(failure);
      return;
    }
    let eventsWritten = 0;
    group.forEach((append, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) {
        append.reject(new Error('the commit returned no outcome for this append'));
      } else if (isRefusal(outcome)) {
        append.reject(refusalError(outcome));
      } else {
        if (!outcome.alreadyAppended) eventsWritten += append.request.events.length;
        append.resolve(outcome);
      }
    });
    for (const observer of this.commitObservers) observer(group.length, eventsWritten);
    if (eventsWritten > 0) this.signal.wakeAll();
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

function prepareReads(db: Database) {
  const raw = (sql: string): Statement => db.prepare(sql).raw(true);
  const pluck = (sql: string): Statement => db.prepare(sql).pluck(true);
  return {
    findUniqueKey: db.prepare('SELECT stream_id, revision FROM unique_keys WHERE key = ?'),
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

function refusalError(refusal: AppendRefusal): Error {
  return refusal.refused === 'wrong_expected_version'
    ? new WrongExpectedVersionError(refusal.streamId, refusal.expected, refusal.actual)
    : new UniqueKeyViolationError(refusal.key, refusal.owner);
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
