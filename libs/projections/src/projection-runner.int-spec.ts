import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import type { Projection } from './projection.js';
import { ProjectionRunner, RebuildInProgressError } from './projection-runner.js';

interface CountingOptions {
  readonly version?: number;
  readonly eventTypes?: string[];
  /** Throws on events flagged `explode` (a bug). */
  readonly fragile?: boolean;
  readonly compatibleVersions?: number[];
}

/** Counts events per stream, in a table of its build. */
function counting(name: string, options: CountingOptions = {}): Projection {
  return {
    name,
    version: options.version ?? 1,
    eventTypes: options.eventTypes ?? ['Counted'],
    ...(options.compatibleVersions ? { compatibleVersions: options.compatibleVersions } : {}),
    createTables(db, table) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${table('counts')} (stream TEXT PRIMARY KEY, n INTEGER)`);
    },
    open(db, table) {
      const bump = db.prepare(`INSERT INTO ${table('counts')} (stream, n) VALUES (?, 1)
        ON CONFLICT (stream) DO UPDATE SET n = n + 1`);
      return {
        apply(events) {
          for (const event of events) {
            if (options.fragile && event.data['explode'] === true) {
              throw new Error(`cannot count ${event.id}`);
            }
            bump.run(event.streamId);
          }
        },
      };
    },
  };
}

const counted = (explode = false): EventToAppend => ({
  id: randomUUID(),
  type: 'Counted',
  data: { explode },
  metadata: {},
});

describe('ProjectionRunner', () => {
  let directory: string;
  let store: SqliteEventStore;
  let db: Database;
  const runners: ProjectionRunner[] = [];

  const tableCount = (runner: ProjectionRunner, name: string, stream: string): number =>
    (db
      .prepare(`SELECT n FROM ${runner.tables(name)('counts')} WHERE stream = ?`)
      .pluck()
      .get(stream) as number | undefined) ?? 0;

  const tablesOf = (name: string): string[] =>
    db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ORDER BY name`)
      .pluck()
      .all(`${name}_%`) as string[];

  async function runner(projections: Projection[], maxBatch = 7): Promise<ProjectionRunner> {
    const created = new ProjectionRunner({ store, db, projections, maxBatch, syncIntervalMs: 20 });
    runners.push(created);
    await created.start();
    return created;
  }

  async function append(count: number, stream = 's-test.1'): Promise<number> {
    const result = await store.appendToStream(
      stream,
      Array.from({ length: count }, () => counted()),
      { expectedRevision: 'any' },
    );
    return result.position;
  }

  async function until(
    condition: () => Promise<boolean> | boolean,
    timeoutMs = 5000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
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

  describe('following the log', () => {
    it('given stored events, when started, then it catches up in batches and checkpoints the last position', async () => {
      const position = await append(20);

      const projections = await runner([counting('alpha')]);

      await expect(projections.waitForPosition(['alpha'], position, 5000)).resolves.toBe(true);
      expect(tableCount(projections, 'alpha', 's-test.1')).toBe(20);
      expect(await projections.state('alpha')).toMatchObject({
        status: 'live',
        checkpoint: position,
        version: 1,
      });
    });

    it('follows live appends and answers read-your-writes waits', async () => {
      const projections = await runner([counting('alpha')]);
      const position = await append(2);

      await expect(projections.waitForPosition(['alpha'], position, 5000)).resolves.toBe(true);
      expect(tableCount(projections, 'alpha', 's-test.1')).toBe(2);
    });

    it('given a restart, then it resumes from its checkpoint and applies every event exactly once', async () => {
      const first = await runner([counting('alpha')]);
      await first.waitForPosition(['alpha'], await append(3), 5000);
      await first.stop();
      const position = await append(1);

      const second = await runner([counting('alpha')]);

      await expect(second.waitForPosition(['alpha'], position, 5000)).resolves.toBe(true);
      expect(tableCount(second, 'alpha', 's-test.1')).toBe(4);
    });

    it('skips event types a projection does not read, still moving its checkpoint', async () => {
      const projections = await runner([counting('alpha', { eventTypes: ['SomethingElse'] })]);
      const position = await append(1);

      await expect(projections.waitForPosition(['alpha'], position, 5000)).resolves.toBe(true);
      expect(tableCount(projections, 'alpha', 's-test.1')).toBe(0);
    });

    it('given builds at the same checkpoint, then they share each read of the log', async () => {
      const position = await append(20);
      const readAll = store.readAll.bind(store);
      const reads: number[] = [];
      store.readAll = (options) => {
        reads.push(options?.afterPosition ?? 0);
        return readAll(options);
      };

      const projections = await runner([counting('alpha'), counting('beta')]);

      await expect(projections.waitForPosition(['alpha', 'beta'], position, 5000)).resolves.toBe(
        true,
      );
      // Pages of 7 (maxBatch): 7 + 7 + 6, read once for both builds.
      expect(reads).toEqual([0, 7, 14]);
      expect(tableCount(projections, 'alpha', 's-test.1')).toBe(20);
      expect(tableCount(projections, 'beta', 's-test.1')).toBe(20);
    });

    it('given every build catching up, then commits skip syncing to disk until one has caught up', async () => {
      const synchronous = () => db.pragma('synchronous', { simple: true }) as number;
      const own = synchronous();
      await append(20);
      const seen: number[] = [];
      const base = counting('alpha');
      const probe: Projection = {
        ...base,
        open(database, table) {
          const writer = base.open(database, table);
          return {
            apply(events) {
              seen.push(synchronous());
              writer.apply(events);
            },
          };
        },
      };

      const projections = await runner([probe]);
      await projections.waitForPosition(['alpha'], 20, 5000);
      const live = await append(1);
      await projections.waitForPosition(['alpha'], live, 5000);

      expect(seen[0]).toBe(0);
      expect(seen.at(-1)).toBe(own);
      expect(synchronous()).toBe(own);
      await projections.stop();
      expect(synchronous()).toBe(own);
    });

    it('answers false when a position is not reached in time', async () => {
      const projections = await runner([counting('alpha')]);

      await expect(projections.waitForPosition(['alpha'], 10_000, 50)).resolves.toBe(false);
    });
  });

  describe('failures', () => {
    it('given an event a projection cannot apply, then it is failed at that position and the others keep running', async () => {
      await append(2);
      const poison = (
        await store.appendToStream('s-test.1', [counted(true)], { expectedRevision: 1 })
      ).position;
      const last = await append(1);

      const projections = await runner([
        counting('fragile', { fragile: true }),
        counting('sturdy'),
      ]);

      await expect(projections.waitForPosition(['sturdy'], last, 5000)).resolves.toBe(true);
      await expect(projections.waitForPosition(['fragile'], last, 200)).resolves.toBe(false);
      expect(await projections.state('fragile')).toMatchObject({
        status: 'failed',
        checkpoint: poison - 1,
        failure: { position: poison, error: expect.stringContaining('cannot count') as unknown },
      });
      expect(tableCount(projections, 'fragile', 's-test.1')).toBe(2);
      expect(await projections.state('sturdy')).toMatchObject({ status: 'live', checkpoint: last });
      expect(tableCount(projections, 'sturdy', 's-test.1')).toBe(4);
    });

    it('given an event its upcaster cannot read, then only the builds that read it fail, at its position', async () => {
      await append(2);
      const poison = (
        await store.appendToStream('s-test.1', [counted(true)], { expectedRevision: 1 })
      ).position;
      const last = await append(1);
      const projections = new ProjectionRunner({
        store,
        db,
        projections: [counting('reader'), counting('bystander', { eventTypes: ['Other'] })],
        maxBatch: 7,
        upcast: (event) => {
          if (event.data['explode'] === true) throw new Error('cannot upcast');
          return event;
        },
      });
      runners.push(projections);
      await projections.start();

      await expect(projections.waitForPosition(['bystander'], last, 5000)).resolves.toBe(true);
      await until(async () => (await projections.state('reader'))?.status === 'failed');
      expect(await projections.state('reader')).toMatchObject({
        checkpoint: poison - 1,
        failure: { position: poison, error: 'cannot upcast' },
      });
      expect(tableCount(projections, 'reader', 's-test.1')).toBe(2);
    });

    it('given a failed projection, when the fixed code rebuilds it, then it recovers', async () => {
      await append(2);
      await store.appendToStream('s-test.1', [counted(true)], { expectedRevision: 1 });
      const last = await append(1);
      const broken = await runner([counting('fragile', { fragile: true })]);
      await until(async () => (await broken.state('fragile'))?.status === 'failed');
      await broken.stop();

      const fixed = await runner([counting('fragile')]);
      await fixed.rebuild('fragile');

      await until(async () => (await fixed.state('fragile'))?.status === 'live');
      expect(await fixed.state('fragile')).toMatchObject({ checkpoint: last });
      expect(tableCount(fixed, 'fragile', 's-test.1')).toBe(4);
    });
  });

  describe('rebuilds', () => {
    it('given a new version, then it is built beside the live one, reads stay on the old one until it caught up, and appends made meanwhile are in the new one', async () => {
      const v1 = await runner([counting('alpha')]);
      await v1.waitForPosition(['alpha'], await append(30), 5000);
      await v1.stop();

      const v2 = await runner([counting('alpha', { version: 2 })], 1);
      const during = await v2.state('alpha');
      const readTablesDuring = v2.tables('alpha')('counts');
      const appendedDuring = await append(5, 's-test.2');

      expect(during).toMatchObject({ status: 'rebuilding', version: 1, rebuild: { version: 2 } });
      expect(readTablesDuring).toBe('alpha_v1_b1_counts');
      await until(async () => (await v2.state('alpha'))?.version === 2);
      await v2.waitForPosition(['alpha'], appendedDuring, 5000);
      expect(v2.tables('alpha')('counts')).toBe('alpha_v2_b2_counts');
      expect(tableCount(v2, 'alpha', 's-test.1')).toBe(30);
      expect(tableCount(v2, 'alpha', 's-test.2')).toBe(5);
      await until(() => !tablesOf('alpha').includes('alpha_v1_b1_counts'));
      expect(await v2.state('alpha')).toMatchObject({
        status: 'live',
        rebuild: { percent: 100, finishedAt: expect.any(String) as unknown },
      });
    });

    it('given a rebuild on demand, then a second one is refused while it runs, and the result equals the live data', async () => {
      const projections = await runner([counting('alpha')], 2);
      await projections.waitForPosition(['alpha'], await append(40), 5000);

      const { rebuildId } = await projections.rebuild('alpha');
      const second = projections.rebuild('alpha');

      await expect(second).rejects.toBeInstanceOf(RebuildInProgressError);
      await until(async () => (await projections.state('alpha'))?.rebuild?.finishedAt != null);
      const state = await projections.state('alpha');
      expect(state?.rebuild).toMatchObject({ rebuildId, processed: 40, percent: 100 });
      expect(projections.tables('alpha')('counts')).toBe('alpha_v1_b2_counts');
      expect(tableCount(projections, 'alpha', 's-test.1')).toBe(40);
    });

    it('given two rebuilds asked for at once, then exactly one starts and the other is refused', async () => {
      const projections = await runner([counting('alpha')], 2);
      await projections.waitForPosition(['alpha'], await append(40), 5000);

      const outcomes = await Promise.allSettled([
        projections.rebuild('alpha'),
        projections.rebuild('alpha'),
      ]);

      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = outcomes.find((outcome) => outcome.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(RebuildInProgressError);
      await until(async () => (await projections.state('alpha'))?.rebuild?.finishedAt != null);
      expect(tableCount(projections, 'alpha', 's-test.1')).toBe(40);
    });

    it('given a rebuild stopped half-way, when started again, then it resumes and applies each event once', async () => {
      const live = await runner([counting('alpha')]);
      await live.waitForPosition(['alpha'], await append(200), 5000);
      await live.rebuild('alpha');
      await new Promise((resolve) => setTimeout(resolve, 5));
      await live.stop();

      const resumed = await runner([counting('alpha')]);

      await until(async () => (await resumed.state('alpha'))?.status === 'live');
      expect(resumed.tables('alpha')('counts')).toBe('alpha_v1_b2_counts');
      expect(tableCount(resumed, 'alpha', 's-test.1')).toBe(200);
    });
  });

  describe('leases', () => {
    it('given two processes on one database, then only one applies events to a build, and the other takes over when it stops', async () => {
      const first = await runner([counting('alpha')]);
      const second = await runner([counting('alpha')]);
      await first.waitForPosition(['alpha'], await append(10), 5000);
      await first.stop();
      const position = await append(5);

      await expect(second.waitForPosition(['alpha'], position, 5000)).resolves.toBe(true);
      expect(tableCount(second, 'alpha', 's-test.1')).toBe(15);
    });
  });
});
