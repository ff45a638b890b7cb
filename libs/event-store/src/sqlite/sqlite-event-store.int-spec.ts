import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { anEvent, describeEventStoreContract, take } from '../../testing/index.js';
import { StoreUnavailableError } from '../event-store.errors.js';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.js';

// Jest runs the sources; the worker thread runs the build (npm test builds first).
const APPEND_WORKER = fileURLToPath(
  new URL('../../../../dist/libs/event-store/src/sqlite/sqlite-append.worker.js', import.meta.url),
);

/** Commits on the caller's thread (CLI, tests) and in the append worker (the API). */
const COMMIT_MODES: [string, Partial<SqliteEventStoreOptions>][] = [
  ['SQLite', {}],
  ['SQLite, committing in the append worker', { appendWorker: APPEND_WORKER }],
];

for (const [name, mode] of COMMIT_MODES) {
  describeEventStoreContract(name, () => {
    const directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-store-'));
    const store = SqliteEventStore.open({
      file: join(directory, 'events.sqlite'),
      pollIntervalMs: 50,
      ...mode,
    });
    return Promise.resolve({
      store,
      async dispose() {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    });
  });
}

describe('SQLite append worker', () => {
  it('given a worker that cannot start, then appends fail as store unavailable, not as crashes', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-store-'));
    const store = SqliteEventStore.open({
      file: join(directory, 'events.sqlite'),
      appendWorker: join(directory, 'missing-worker.js'),
    });

    await expect(
      store.appendToStream('a-test.1', [anEvent()], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.readStream('a-test.1')).toEqual([]);
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });
});

describe.each(COMMIT_MODES)('%s: store specifics', (_name, mode) => {
  let directory: string;
  let file: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-store-'));
    file = join(directory, 'nested', 'events.sqlite');
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('given appends requested in one event-loop turn, then they share one commit and each gets its own result', async () => {
    const store = SqliteEventStore.open({ file, ...mode });
    const commits: number[] = [];
    store.onCommit((appends) => commits.push(appends));

    const results = await Promise.allSettled([
      store.appendToStream('a-test.1', [anEvent()], { expectedRevision: 'no_stream' }),
      store.appendToStream('a-test.1', [anEvent()], { expectedRevision: 'no_stream' }),
      store.appendToStream('a-test.2', [anEvent()], { expectedRevision: 'no_stream' }),
    ]);
    await store.close();

    expect(commits).toEqual([3]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('given group commit is off, then every append is a commit of its own', async () => {
    const store = SqliteEventStore.open({ file, groupCommit: false, ...mode });
    const commits: number[] = [];
    store.onCommit((appends) => commits.push(appends));

    await Promise.all(
      ['1', '2', '3'].map((id) =>
        store.appendToStream(`a-test.${id}`, [anEvent()], { expectedRevision: 'no_stream' }),
      ),
    );
    await store.close();

    expect(commits).toEqual([1, 1, 1]);
  });

  it('keeps events, unique keys and positions across a reopen, with WAL and full sync', async () => {
    const first = SqliteEventStore.open({ file, ...mode });
    const written = await first.appendToStream('a-test.1', [anEvent(), anEvent()], {
      expectedRevision: 'no_stream',
      uniqueKeys: ['dedup-test.k'],
    });
    await first.close();

    const reopened = SqliteEventStore.open({ file, ...mode });
    const next = await reopened.appendToStream('a-test.2', [anEvent()], {
      expectedRevision: 'no_stream',
    });
    const database = new BetterSqlite3(file, { readonly: true });
    const pragmas = {
      journal: database.pragma('journal_mode', { simple: true }),
      migrations: database.prepare('SELECT version FROM schema_migrations').pluck().all(),
    };
    database.close();

    expect(await reopened.readStream('a-test.1')).toHaveLength(2);
    expect(await reopened.findUniqueKey('dedup-test.k')).toMatchObject({ streamId: 'a-test.1' });
    expect(next.position).toBeGreaterThan(written.position);
    expect(pragmas).toEqual({ journal: 'wal', migrations: [1] });
    await reopened.close();
  });

  it('given appends queued when the store closes, then they are committed before it closes', async () => {
    const store = SqliteEventStore.open({ file, ...mode });
    const pending = store.appendToStream('a-test.1', [anEvent()], {
      expectedRevision: 'no_stream',
    });
    await store.close();

    await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0 });
    await expect(store.readAll()).rejects.toThrow('closed');
    const reopened = SqliteEventStore.open({ file, ...mode });
    expect(await reopened.readStream('a-test.1')).toHaveLength(1);
    await reopened.close();
  });

  it('given another process holds the write lock, then appends and health report the store unavailable', async () => {
    const store = SqliteEventStore.open({ file, ...mode });
    const other = new BetterSqlite3(file);
    other.exec('BEGIN IMMEDIATE');

    await expect(
      store.appendToStream('a-test.1', [anEvent()], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.health()).toMatchObject({ status: 'down', store: 'sqlite' });

    other.exec('ROLLBACK');
    other.close();
    await expect(
      store.appendToStream('a-test.1', [anEvent()], { expectedRevision: 'no_stream' }),
    ).resolves.toMatchObject({ nextExpectedRevision: 0 });
    expect(await store.health()).toMatchObject({ status: 'up' });
    await store.close();
  });

  it('sees events appended by another process through a subscription', async () => {
    const store = SqliteEventStore.open({ file, pollIntervalMs: 20, ...mode });
    const subscription = store.subscribeToAll();
    const otherProcess = SqliteEventStore.open({ file, ...mode });
    await otherProcess.appendToStream('a-test.1', [anEvent()], { expectedRevision: 'no_stream' });

    const [received] = await take(subscription[Symbol.asyncIterator](), 1);
    await subscription.stop();
    await otherProcess.close();
    await store.close();

    expect(received).toMatchObject({ streamId: 'a-test.1', revision: 0 });
  });
});
