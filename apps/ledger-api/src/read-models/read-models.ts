import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import type { EventStore } from '#event-store';
import { Logger } from '@nestjs/common';
import { ProjectionRunner, type Projection, type TableNamer } from '#projections';

/**
 * The read-model database (`DATA_DIR/read-models.sqlite`, in both store modes) and the
 * projections that fill it. Queries are bound to each projection's live tables and
 * cached per table set.
 */
export class ReadModels {
  readonly runner: ProjectionRunner;
  private readonly queryCache = new Map<string, unknown>();

  private constructor(
    readonly db: Database,
    store: EventStore,
    projections: readonly Projection[],
  ) {
    const logger = new Logger('Projections');
    this.runner = new ProjectionRunner({
      store,
      db,
      projections,
      onFailure: (name, build, error) => {
        logger.error(
          `projection ${name} v${String(build.version)} (build ${String(build.build)}) failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    });
  }

  static open(dataDir: string, store: EventStore, projections: readonly Projection[]): ReadModels {
    mkdirSync(dataDir, { recursive: true });
    const db = new BetterSqlite3(join(dataDir, 'read-models.sqlite'));
    db.pragma('journal_mode = WAL');
    // The log is the source of truth and checkpoints commit with the rows: a lost tail
    // after a power cut is re-applied from the checkpoint, so no fsync per batch.
    db.pragma('synchronous = NORMAL');
    return new ReadModels(db, store, projections);
  }

  /** The queries of a projection, bound to its live tables. */
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
