import { parentPort, workerData } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type {
  AppendWorkerData,
  FromAppendWorker,
  ToAppendWorker,
} from './append-worker.protocol.js';
import { openStoreDatabase, SqliteCommitter } from './sqlite-committer.js';

/**
 * The SQLite store's writer in a worker thread: group commits, their fsync and the WAL
 * checkpoints run here, so that the API's event loop keeps parsing and validating
 * deliveries while the disk syncs. It owns the only write connection of the process.
 */
const port = parentPort;
if (!port) throw new Error('sqlite-append.worker must run in a worker thread');
const { file } = workerData as AppendWorkerData;

/**
 * The worker's connection. SQLite opens a file it may not write read-only, and stays so:
 * after a write failed that way the connection is opened again before the next attempt,
 * so that the store resumes by itself once write permission is back.
 */
class Connection {
  private db = Connection.open();
  private committer = new SqliteCommitter(this.db);
  private reopen = false;

  private static open(): Database {
    const db = openStoreDatabase(file);
    // The stream index takes inserts all over (stream ids are random): the API's only
    // writing connection keeps 32 MiB of it cached (others keep SQLite's default 2 MiB).
    db.pragma('cache_size = -32768');
    return db;
  }

  /** Runs `work` on the connection, opened again first if it was found read-only. */
  use<T>(work: (db: Database, committer: SqliteCommitter) => T): T {
    if (this.reopen) {
      const db = Connection.open();
      this.db.close();
      this.db = db;
      this.committer = new SqliteCommitter(db);
      this.reopen = false;
    }
    try {
      return work(this.db, this.committer);
    } catch (error) {
      if (hasCode(error) && error.code.startsWith('SQLITE_READONLY')) this.reopen = true;
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }
}

const connection = new Connection();

port.on('message', (message: ToAppendWorker) => {
  if (message.type === 'close') {
    connection.close();
    port.close();
    return;
  }
  if (message.type === 'check') {
    port.postMessage(check(message.id));
    return;
  }
  let reply: FromAppendWorker;
  try {
    const outcomes = connection.use((_db, committer) => committer.commit(message.requests));
    reply = { type: 'committed', id: message.id, outcomes };
  } catch (error) {
    reply = failed(message.id, error);
  }
  port.postMessage(reply);
});

function failed(id: number, error: unknown): FromAppendWorker {
  return {
    type: 'failed',
    id,
    message: error instanceof Error ? error.message : String(error),
    ...(hasCode(error) ? { code: error.code } : {}),
  };
}

/**
 * A write lock and a write, rolled back, prove the file is writable and not held by
 * another process (the lock alone is granted on a connection SQLite opened read-only).
 */
function check(id: number): FromAppendWorker {
  try {
    connection.use((db) => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const version = Number(db.pragma('user_version', { simple: true }));
        db.pragma(`user_version = ${String(version)}`);
      } finally {
        db.exec('ROLLBACK');
      }
    });
    return { type: 'checked', id };
  } catch (error) {
    return { type: 'checked', id, problem: error instanceof Error ? error.message : String(error) };
  }
}

function hasCode(error: unknown): error is { code: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
