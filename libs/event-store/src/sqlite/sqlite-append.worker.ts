import { parentPort, workerData } from 'node:worker_threads';
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
const db = openStoreDatabase(file);
// The stream index takes inserts all over (stream ids are random): the API's only
// writing connection keeps 32 MiB of it cached (others keep SQLite's default 2 MiB).
db.pragma('cache_size = -32768');
const committer = new SqliteCommitter(db);

port.on('message', (message: ToAppendWorker) => {
  if (message.type === 'close') {
    db.close();
    port.close();
    return;
  }
  if (message.type === 'check') {
    port.postMessage(check(message.id));
    return;
  }
  let reply: FromAppendWorker;
  try {
    reply = { type: 'committed', id: message.id, outcomes: committer.commit(message.requests) };
  } catch (error) {
    reply = {
      type: 'failed',
      id: message.id,
      message: error instanceof Error ? error.message : String(error),
      ...(hasCode(error) ? { code: error.code } : {}),
    };
  }
  port.postMessage(reply);
});

/** A write lock proves the file is writable and not held by another process. */
function check(id: number): FromAppendWorker {
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
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
