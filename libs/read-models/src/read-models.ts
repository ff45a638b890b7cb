import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import type { EventStore } from '#event-store';
import { ledgerUpcasters } from '#ledger';
import {
  ProjectionRunner,
  type Projection,
  type ProjectionBuild,
  type ProjectionDirectory,
  type TableNamer,
} from '#projections';
import { WorkerProjectionHost } from './worker-projection-host.js';

/** The compiled worker entry, beside this module in `dist/`. */
export const PROJECTION_WORKER_SCRIPT = new URL('./projection.worker.js', import.meta.url);

/** Whatever applies events for this process: a runner here, or one in a worker thread. */
export type ProjectionHost = ProjectionDirectory & {
  start(): Promise<void>;
  stop(): Promise<void>;
};

export interface ReadModelsOptions {
  readonly dataDir: string;
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  readonly onFailure?: (name: string, build: ProjectionBuild, error: unknown) => void;
  readonly maxBatch?: number;
  /** False for the CLI: it builds, the API follows the log (see ProjectionRunnerOptions). */
  readonly followLive?: boolean;
  readonly onProgress?: () => void;
  /**
   * Run the projections in a worker thread (the API): the compiled worker entry and
   * where its own store connection goes. Absent: they run in this thread.
   */
  readonly worker?: {
    readonly script: string | URL;
    readonly eventStoreConnectionString: string | undefined;
  };
}

/**
 * The read-model database (`DATA_DIR/read-models.sqlite`, in both store modes) and the
 * runner that fills it from the log. Queries are bound to each projection's live
 * tables, cached per build.
 */
export class ReadModels {
  readonly runner: ProjectionHost;
  private readonly queryCache = new Map<string, unknown>();

  private constructor(
    readonly db: Database,
    options: ReadModelsOptions,
  ) {
    if (options.worker) {
      const onFailure = options.onFailure;
      this.runner = new WorkerProjectionHost(options.store, db, options.projections, {
        script: options.worker.script,
        dataDir: options.dataDir,
        eventStoreConnectionString: options.worker.eventStoreConnectionString,
        ...(onFailure
          ? {
              onFailure: (projection: string, message: string) => {
                const build = this.runner.builds.current(projection).live;
                if (build) onFailure(projection, build, new Error(message));
              },
            }
          : {}),
      });
      return;
    }
    this.runner = new ProjectionRunner({
      store: options.store,
      db,
      projections: options.projections,
      upcast: (event) => ledgerUpcasters.upcast(event),
      ...(options.onFailure ? { onFailure: options.onFailure } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
      ...(options.followLive === undefined ? {} : { followLive: options.followLive }),
    });
  }

  /** Looks at the builds again now (a rebuild requested from another thread). */
  refresh(): void {
    if (this.runner instanceof ProjectionRunner) this.runner.refresh();
  }

  static open(options: ReadModelsOptions): ReadModels {
    mkdirSync(options.dataDir, { recursive: true });
    const db = new BetterSqlite3(join(options.dataDir, 'read-models.sqlite'));
    db.pragma('journal_mode = WAL');
    // The log is the source of truth and checkpoints commit with the rows: a lost tail
    // after a power cut is re-applied from the checkpoint, so no fsync per batch.
    db.pragma('synchronous = NORMAL');
    // The API and the CLI share the file; a short wait rides over the other's commit.
    db.pragma('busy_timeout = 2000');
    return new ReadModels(db, options);
  }

  /**
   * What answers reads of these projections right now: each one's live build and its
   * checkpoint. An answer computed from them stays right while this is unchanged.
   */
  servingState(names: readonly string[]): string {
    return names
      .map((name) => {
        const live = this.runner.builds.current(name).live;
        return live ? `${String(live.build)}@${String(live.checkpoint)}` : '-';
      })
      .join(',');
  }

  /** The queries of a projection, bound to its live build's tables. */
  queries<Q>(projection: string, create: (db: Database, table: TableNamer) => Q): Q {
    const table = this.runner.tables(projection);
    const key = table('');
    let queries = this.queryCache.get(key) as Q | undefined;
    if (!queries) {
      queries = create(this.db, table);
      this.queryCache.set(key, queries);
    }
    return queries;
  }

  async close(): Promise<void> {
    await this.runner.stop();
    this.db.close();
  }
}
