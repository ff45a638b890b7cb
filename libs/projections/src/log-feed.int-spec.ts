import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import type { EventBatch } from './event-batches.js';
import { LogFeed } from './log-feed.js';

const anEvent = (): EventToAppend => ({ id: randomUUID(), type: 'Noted', data: {}, metadata: {} });

describe('LogFeed', () => {
  let directory: string;
  let store: SqliteEventStore;
  const feeds: LogFeed[] = [];

  async function append(count: number): Promise<number> {
    const result = await store.appendToStream(
      'feed-test.1',
      Array.from({ length: count }, anEvent),
      { expectedRevision: 'any' },
    );
    return result.position;
  }

  function feed(afterPosition: number): AsyncIterator<EventBatch> {
    const created = new LogFeed(store, { afterPosition, catchUpBatch: 4, liveBatch: 2 });
    feeds.push(created);
    return created[Symbol.asyncIterator]();
  }

  async function next(batches: AsyncIterator<EventBatch>): Promise<[number[], boolean]> {
    const batch = await batches.next();
    if (batch.done) throw new Error('the feed ended');
    return [batch.value.events.map((event) => event.position), batch.value.drained];
  }

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-log-feed-'));
    store = SqliteEventStore.open({ file: join(directory, 'events.sqlite'), pollIntervalMs: 20 });
  });

  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((each) => each.stop()));
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('given stored events, then it reads them in full catch-up pages, and a short page is drained', async () => {
    await append(10);

    const batches = feed(1);

    expect(await next(batches)).toEqual([[2, 3, 4, 5], false]);
    expect(await next(batches)).toEqual([[6, 7, 8, 9], false]);
    expect(await next(batches)).toEqual([[10], true]);
  });

  it('given a catch-up that ends on a full page, then an empty drained batch says it caught up', async () => {
    await append(4);

    const batches = feed(0);

    expect(await next(batches)).toEqual([[1, 2, 3, 4], false]);
    expect(await next(batches)).toEqual([[], true]);
  });

  it('once caught up, follows appends in live batches from where the catch-up ended', async () => {
    await append(1);
    const batches = feed(0);
    expect(await next(batches)).toEqual([[1], true]);

    const appended = append(3);
    const live: number[] = [];
    while (live.length < 3) {
      const [positions] = await next(batches);
      expect(positions.length).toBeLessThanOrEqual(2);
      live.push(...positions);
    }
    await appended;

    expect(live).toEqual([2, 3, 4]);
  });

  it('when stopped while waiting for an append, then it ends', async () => {
    const created = new LogFeed(store, { afterPosition: 0, catchUpBatch: 4, liveBatch: 2 });
    const batches = created[Symbol.asyncIterator]();
    expect(await next(batches)).toEqual([[], true]);
    const waiting = batches.next();
    // Let the feed reach its wait for the next append.
    await new Promise((resolve) => setTimeout(resolve, 30));

    await created.stop();

    await expect(waiting).resolves.toMatchObject({ done: true });
  });
});
