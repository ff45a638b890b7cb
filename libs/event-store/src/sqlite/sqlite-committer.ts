import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import type { AppendResult, ExpectedRevision } from '../event-store.port.js';
import { migrate } from './sqlite-migrations.js';

/** An event ready for its row: data and metadata already serialised by the caller. */
export interface SerializedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

/** One append of a group commit, as plain data (it may cross to a worker thread). */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly SerializedEvent[];
  readonly expectedRevision: ExpectedRevision;
  readonly uniqueKeys: readonly string[];
}

/** Why one append of a commit was not written; the others are unaffected. */
export type AppendRefusal =
  | {
      readonly refused: 'wrong_expected_version';
      readonly streamId: string;
      readonly expected: ExpectedRevision;
      readonly actual: number | 'no_stream';
    }
  | {
      readonly refused: 'unique_key';
      readonly key: string;
      readonly owner: { readonly streamId: string; readonly revision: number };
    };

export type AppendOutcome = AppendResult | AppendRefusal;

export function isRefusal(outcome: AppendOutcome): outcome is AppendRefusal {
  return 'refused' in outcome;
}

/** Revisions of streams written earlier in the commit being built (-1: no stream). */
type RevisionsInCommit = Map<string, number>;

const NO_STREAM = -1;

/**
 * Opens the store's file the way every connection must: WAL, `synchronous=FULL` (an
 * append is on disk before it is acknowledged), a short busy timeout (a longer lock is
 * answered 503), and the schema migrated.
 */
export function openStoreDatabase(file: string): Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 50');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The write side of the SQLite store: a group of appends in one transaction (one
 * fsync). Every check of an append (its expected revision, its unique keys) is made
 * before it writes anything, so a refused append leaves nothing to roll back and one
 * caller's conflict never fails another's. Synchronous; it runs on the caller's thread
 * or in the append worker.
 */
export class SqliteCommitter {
  private readonly statements: ReturnType<typeof prepareWrites>;

  constructor(private readonly db: Database) {
    this.statements = prepareWrites(db);
  }

  /**
   * One outcome per request, in order. Throws (and writes nothing) when SQLite itself
   * fails: locked, read-only, full disk.
   */
  commit(requests: readonly AppendRequest[]): AppendOutcome[] {
    const outcomes: AppendOutcome[] = [];
    try {
      this.statements.begin.run();
      const recordedAt = new Date().toISOString();
      const revisions: RevisionsInCommit = new Map();
      for (const request of requests) outcomes.push(this.write(request, recordedAt, revisions));
      this.statements.commit.run();
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private write(
    request: AppendRequest,
    recordedAt: string,
    revisions: RevisionsInCommit,
  ): AppendOutcome {
    const { streamId, events, expectedRevision: expected } = request;
    const current = revisions.get(streamId) ?? this.currentRevision(streamId);

    const retried = this.findRetriedAppend(request, current);
    if (retried) return retried;

    const satisfied =
      expected === 'any' ||
      (expected === 'no_stream' && current === NO_STREAM) ||
      (expected === 'stream_exists' && current !== NO_STREAM) ||
      expected === current;
    if (!satisfied) {
      return {
        refused: 'wrong_expected_version',
        streamId,
        expected,
        actual: current === NO_STREAM ? 'no_stream' : current,
      };
    }
    if (events.length === 0) {
      return { nextExpectedRevision: current, position: 0, alreadyAppended: false };
    }

    for (const key of request.uniqueKeys) {
      const owner = this.statements.findUniqueKey.get(key) as
        { stream_id: string; revision: number } | undefined;
      if (owner) {
        return {
          refused: 'unique_key',
          key,
          owner: { streamId: owner.stream_id, revision: owner.revision },
        };
      }
    }

    // Nothing refused it: from here on it only writes.
    const firstRevision = current + 1;
    for (const key of new Set(request.uniqueKeys)) {
      this.statements.insertUniqueKey.run(key, streamId, firstRevision);
    }

    let position = 0;
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index] as SerializedEvent;
      const inserted = this.statements.insertEvent.run(
        streamId,
        firstRevision + index,
        event.id,
        event.type,
        event.data,
        event.metadata,
        recordedAt,
      );
      position = Number(inserted.lastInsertRowid);
    }
    const nextExpectedRevision = current + events.length;
    revisions.set(streamId, nextExpectedRevision);
    return { nextExpectedRevision, position, alreadyAppended: false };
  }

  /**
   * A retried append (the same event ids already at the place the writer meant) is
   * an idempotent success: the original result is returned and nothing is written.
   */
  private findRetriedAppend(request: AppendRequest, current: number): AppendResult | undefined {
    const { streamId, events, expectedRevision: expected } = request;
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
}

function prepareWrites(db: Database) {
  const pluck = (sql: string): Statement => db.prepare(sql).pluck(true);
  return {
    // Prepared once: `exec` would parse these on every append of a group commit.
    begin: db.prepare('BEGIN IMMEDIATE'),
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
    readIdsFrom: db
      .prepare(
        `SELECT event_id, position FROM events WHERE stream_id = ? AND revision >= ?
       ORDER BY revision LIMIT ?`,
      )
      .raw(true),
  };
}
