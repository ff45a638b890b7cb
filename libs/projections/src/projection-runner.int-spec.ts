import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';

/** Counts events per stream; a fragile one throws on an event whose data says so. */
function countingProjection(name: string, eventTypes = ['Counted'], fragile = true): Projection {
  return {
    name,
    version: 1,
    eventTypes,
    createTables(db, table) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table('counts')} (stream TEXT PRIMARY KEY, n INTEGER)`);
    },
    open(db, table) {
      const bump = db.prepare(`INSERT INTO ${table('counts')} (stream, n) VALUES (?, 1)
        ON CONFLICT (stream) DO UPDATE SET n = n + 1`);
      return {
        apply(events) {
          for (const event of events) {
            if (fragile && event.data['explode'] === true)
              throw new Error(`cannot count ${event.id}`);
            bump.run(event.streamId);
          }
        },
      };
    },
  };
}

const counted = (explode = false): EventToAppend => ({
  id: crypto.randomUUID(),
  type: 'Counted',
  data: { explode },
  metadata: {},
});

describe('ProjectionRunner', () => {
  let directory: string;
  let store: SqliteEventStore;
  let db: Database;
  const runners: ProjectionRunner[] = [];

  const count = (name: string, stream: string): number =>
    (db.prepare(`SELECT n FROM ${name}_v1_counts WHERE stream = ?`).pluck().get(stream) as
      number | undefined) ?? 0;

  function runner(projections: Projection[]): ProjectionRunner {
    const created = new ProjectionRunner({ store, db, projections, maxBatch: 7 });
    runners.push(created);
    created.start();
    return created;
  }

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-projections-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.sqlite'), pollIntervalMs: 20 });
    db = new BetterSqlite3(join(directory, 'read-models.sqlite'));
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((each) => each.stop()));
    await store.close();
    db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('given stored events, when started, then it catches up in batches and checkpoints the last position', async () => {
    const appended = await store.appendToStream(
      's-test.1',
      Array.from({ length: 20 }, () => counted()),
      {
        expectedRevision: 'no_stream',
      },
    );

    const projections = runner([countingProjection('alpha')]);

    await expect(projections.waitForPosition(['alpha'], appended.position, 5000)).resolves.toBe(
      true,
    );
    expect(count('alpha', 's-test.1')).toBe(20);
    expect(projections.state('alpha')).toMatchObject({
      status: 'live',
      checkpoint: appended.position,
    });
  });

  it('follows live appends and answers read-your-writes waits', async () => {
    const projections = runner([countingProjection('alpha')]);
    const appended = await store.appendToStream('s-test.1', [counted(), counted()], {
      expectedRevision: 'no_stream',
    });

    await expect(projections.waitForPosition(['alpha'], appended.position, 5000)).resolves.toBe(
      true,
    );
    expect(count('alpha', 's-test.1')).toBe(2);
  });

  it('given a restart, then it resumes from its checkpoint and applies every event exactly once', async () => {
    const first = runner([countingProjection('alpha')]);
    const before = await store.appendToStream('s-test.1', [counted(), counted(), counted()], {
      expectedRevision: 'no_stream',
    });
    await first.waitForPosition(['alpha'], before.position, 5000);
    await first.stop();
    const after = await store.appendToStream('s-test.1', [counted()], { expectedRevision: 2 });

    const second = runner([countingProjection('alpha')]);

    await expect(second.waitForPosition(['alpha'], after.position, 5000)).resolves.toBe(true);
    expect(count('alpha', 's-test.1')).toBe(4);
  });

  it('skips event types a projection does not read, still moving its checkpoint', async () => {
    const projections = runner([countingProjection('alpha', ['SomethingElse'])]);
    const appended = await store.appendToStream('s-test.1', [counted()], {
      expectedRevision: 'no_stream',
    });

    await expect(projections.waitForPosition(['alpha'], appended.position, 5000)).resolves.toBe(
      true,
    );
    expect(count('alpha', 's-test.1')).toBe(0);
  });

  it('given an event a projection cannot apply, then it is failed at that position and the others keep running', async () => {
    await store.appendToStream('s-test.1', [counted(), counted()], {
      expectedRevision: 'no_stream',
    });
    const poison = await store.appendToStream('s-test.1', [counted(true)], { expectedRevision: 1 });
    const last = await store.appendToStream('s-test.1', [counted()], { expectedRevision: 2 });

    const projections = runner([
      countingProjection('fragile'),
      countingProjection('sturdy', ['Counted'], false),
    ]);

    await expect(projections.waitForPosition(['sturdy'], last.position, 5000)).resolves.toBe(true);
    await expect(projections.waitForPosition(['fragile'], last.position, 200)).resolves.toBe(false);
    expect(projections.state('fragile')).toMatchObject({
      status: 'failed',
      checkpoint: poison.position - 1,
      failure: {
        position: poison.position,
        error: expect.stringContaining('cannot count') as unknown,
      },
    });
    expect(count('fragile', 's-test.1')).toBe(2);
    expect(projections.state('sturdy')).toMatchObject({
      status: 'live',
      checkpoint: last.position,
    });
    expect(count('sturdy', 's-test.1')).toBe(4);
  });

  it('answers false when a position is not reached in time', async () => {
    const projections = runner([countingProjection('alpha')]);

    await expect(projections.waitForPosition(['alpha'], 10_000, 50)).resolves.toBe(false);
  });
});
