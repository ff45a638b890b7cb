import type { Database } from 'better-sqlite3';
import type { RecordedEvent } from '#event-store';

/**
 * Names a table of one projection version: `table('codes')` → `attendance_v1_codes`.
 * Tables are namespaced by version so that a new version can be built beside the live
 * one (blue/green) and the old one dropped after the swap.
 */
export type TableNamer = (name: string) => string;

export function tableNamer(projection: string, version: number): TableNamer {
  return (name) => `${projection}_v${String(version)}_${name}`;
}

/**
 * A read model fed from the global log. Plain TypeScript over SQLite: the runner
 * owns subscriptions, batching, transactions and checkpoints; a projection only
 * creates its tables and applies batches of events to them.
 */
export interface Projection {
  readonly name: string;
  /** Bumped when the tables or the rules change: the runner rebuilds the new version. */
  readonly version: number;
  /**
   * Older versions whose tables this code can keep applying events to while the new
   * version is built beside them (a rule fix that keeps the schema, say). The live
   * build of any other version stays as it was — still answering reads — until the
   * swap.
   */
  readonly compatibleVersions?: readonly number[];
  /** The event types it reads; the runner checkpoints past the others without calling it. */
  readonly eventTypes: readonly string[];
  /** Creates this version's tables and indexes (idempotent: `IF NOT EXISTS`). */
  createTables(db: Database, table: TableNamer): void;
  /** Binds the projection to its tables (prepare statements once here). */
  open(db: Database, table: TableNamer): ProjectionWriter;
}

export interface ProjectionWriter {
  /**
   * Applies a batch of events, oldest first, inside the runner's transaction (which
   * also stores the checkpoint). Synchronous. Throwing marks the projection failed at
   * the batch's position and rolls the batch back.
   */
  apply(events: readonly RecordedEvent[]): void;
}

/** The list of read models the service runs, by name. */
export type ProjectionCatalogue = readonly Projection[];
