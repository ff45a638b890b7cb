import type { Database, Statement } from 'better-sqlite3';
import type { EventStore, RecordedEvent, Subscription } from '#event-store';
import { eventBatches } from './event-batches.js';
import {
  tableNamer,
  type Projection,
  type ProjectionWriter,
  type TableNamer,
} from './projection.js';

export type ProjectionStatus = 'live' | 'catching_up' | 'rebuilding' | 'failed';

export interface ProjectionState {
  readonly name: string;
  readonly version: number;
  readonly status: ProjectionStatus;
  /** Global position of the last event applied (0: none yet). */
  readonly checkpoint: number;
  readonly failure?: { readonly position: number; readonly error: string };
}

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** The read-model database (`DATA_DIR/read-models.sqlite`). */
  readonly db: Database;
  readonly projections: readonly Projection[];
  readonly maxBatch?: number;
  readonly onFailure?: (state: ProjectionState, error: unknown) => void;
}

interface Running {
  readonly projection: Projection;
  readonly table: TableNamer;
  readonly writer: ProjectionWriter;
  readonly handled: ReadonlySet<string>;
  checkpoint: number;
  status: ProjectionStatus;
  failure: { position: number; error: string } | undefined;
  subscription: Subscription | undefined;
  loop: Promise<void> | undefined;
}

interface PositionWaiter {
  readonly position: number;
  readonly names: readonly string[];
  readonly resolve: (reached: boolean) => void;
}

/**
 * Runs projections: each follows the global log from its checkpoint through the
 * store's subscription and applies events in batches, each batch in one read-model
 * transaction that also stores the checkpoint — so every event takes effect exactly
 * once, across crashes too. A projection that throws is marked failed at the event's
 * position; the others keep running.
 */
export class ProjectionRunner {
  private readonly running = new Map<string, Running>();
  private readonly saveCheckpoint: Statement;
  private readonly saveFailure: Statement;
  private waiters: PositionWaiter[] = [];
  private stopped = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    const { db } = options;
    db.exec(`CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name           TEXT    NOT NULL,
      version        INTEGER NOT NULL,
      checkpoint     INTEGER NOT NULL,
      failed_at      INTEGER,
      failure        TEXT,
      updated_at     TEXT    NOT NULL,
      PRIMARY KEY (name, version)
    ) WITHOUT ROWID`);
    this.saveCheckpoint = db.prepare(`INSERT INTO projection_checkpoints
        (name, version, checkpoint, failed_at, failure, updated_at) VALUES (?, ?, ?, NULL, NULL, ?)
      ON CONFLICT (name, version) DO UPDATE SET checkpoint = excluded.checkpoint,
        failed_at = NULL, failure = NULL, updated_at = excluded.updated_at`);
    this.saveFailure = db.prepare(`UPDATE projection_checkpoints
      SET failed_at = ?, failure = ?, updated_at = ? WHERE name = ? AND version = ?`);
    const readCheckpoint = db.prepare(
      'SELECT checkpoint FROM projection_checkpoints WHERE name = ? AND version = ?',
    );

    for (const projection of options.projections) {
      const table = tableNamer(projection.name, projection.version);
      db.transaction(() => {
        projection.createTables(db, table);
        const stored = readCheckpoint.pluck().get(projection.name, projection.version) as
          number | undefined;
        if (stored === undefined) {
          this.saveCheckpoint.run(projection.name, projection.version, 0, new Date().toISOString());
        }
      })();
      const checkpoint =
        (readCheckpoint.pluck().get(projection.name, projection.version) as number | undefined) ??
        0;
      this.running.set(projection.name, {
        projection,
        table,
        writer: projection.open(db, table),
        handled: new Set(projection.eventTypes),
        checkpoint,
        status: 'catching_up',
        failure: undefined,
        subscription: undefined,
        loop: undefined,
      });
    }
  }

  /** Starts following the log; returns at once. */
  start(): void {
    for (const running of this.running.values()) {
      if (!running.loop) running.loop = this.follow(running);
    }
  }

  /** Stops every projection after its current batch (its checkpoint is stored). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      [...this.running.values()].map(async (running) => {
        await running.subscription?.stop();
        await running.loop;
      }),
    );
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
  }

  states(): ProjectionState[] {
    return [...this.running.values()].map((running) => this.stateOf(running));
  }

  state(name: string): ProjectionState | undefined {
    const running = this.running.get(name);
    return running && this.stateOf(running);
  }

  /** The tables a query reads for a projection: its live version's. */
  tables(name: string): TableNamer {
    const running = this.running.get(name);
    if (!running) throw new Error(`unknown projection ${name}`);
    return running.table;
  }

  /** The smallest checkpoint of the named projections: how fresh a read joining them is. */
  asOfPosition(names: readonly string[]): number {
    return Math.min(...names.map((name) => this.running.get(name)?.checkpoint ?? 0));
  }

  /**
   * Resolves true once every named projection has applied the log up to `position`
   * (read-your-writes), false after `timeoutMs`.
   */
  waitForPosition(names: readonly string[], position: number, timeoutMs: number): Promise<boolean> {
    if (this.asOfPosition(names) >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        resolve(false);
      }, timeoutMs);
      const entry: PositionWaiter = {
        position,
        names,
        resolve: (reached) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      this.waiters.push(entry);
    });
  }

  private stateOf(running: Running): ProjectionState {
    return {
      name: running.projection.name,
      version: running.projection.version,
      status: running.status,
      checkpoint: running.checkpoint,
      ...(running.failure ? { failure: running.failure } : {}),
    };
  }

  private async follow(running: Running): Promise<void> {
    const subscription = this.options.store.subscribeToAll({ afterPosition: running.checkpoint });
    running.subscription = subscription;
    const maxBatch = this.options.maxBatch ?? 1000;
    try {
      for await (const batch of eventBatches(subscription[Symbol.asyncIterator](), maxBatch)) {
        if (this.stopped) break;
        if (!this.applyBatch(running, batch.events)) break;
        if (batch.drained && running.status === 'catching_up') running.status = 'live';
        this.wakeWaiters();
      }
    } catch (error) {
      // The store failed under the subscription: report and stop this projection.
      this.fail(running, running.checkpoint + 1, error);
    } finally {
      await subscription.stop();
    }
  }

  /** Applies a batch atomically with its checkpoint; false when the projection failed. */
  private applyBatch(running: Running, events: RecordedEvent[]): boolean {
    const last = events[events.length - 1];
    if (!last) return true;
    try {
      this.commit(running, events, last.position);
      return true;
    } catch {
      // Find the event that fails: apply the batch again one event per transaction.
      for (const event of events) {
        try {
          this.commit(running, [event], event.position);
        } catch (error) {
          this.fail(running, event.position, error);
          return false;
        }
      }
      return true;
    }
  }

  private commit(running: Running, events: readonly RecordedEvent[], position: number): void {
    const { projection, handled, writer } = running;
    const relevant = events.filter((event) => handled.has(event.type));
    this.options.db.transaction(() => {
      if (relevant.length > 0) writer.apply(relevant);
      this.saveCheckpoint.run(
        projection.name,
        projection.version,
        position,
        new Date().toISOString(),
      );
    })();
    running.checkpoint = position;
  }

  private fail(running: Running, position: number, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    running.status = 'failed';
    running.failure = { position, error: message };
    this.saveFailure.run(
      position,
      message,
      new Date().toISOString(),
      running.projection.name,
      running.projection.version,
    );
    this.options.onFailure?.(this.stateOf(running), error);
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: PositionWaiter[] = [];
    for (const waiter of this.waiters) {
      if (this.asOfPosition(waiter.names) >= waiter.position) waiter.resolve(true);
      else still.push(waiter);
    }
    this.waiters = still;
  }
}
