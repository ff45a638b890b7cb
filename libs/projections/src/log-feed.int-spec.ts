import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SqliteEventStore,
  StoreUnavailableError,
  type EventStore,
  type EventToAppend,
  type Subscription,
} from '#event-store';
import type { EventBatch } from './event-batches.js';
import { LogFeed } from './log-feed.js';

const anEvent = (): EventToAppend => ({ id: randomUUID(), type: 'Noted', data: {}, metadata: {} });

/** The real store, with some of its calls replaced. */
function withCalls(store: SqliteEventStore, calls: Partial<EventStore>): EventStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const replaced = (calls as Record<PropertyKey, unknown>)[property];
      if (replaced !== undefined) return replaced;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

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

  /** A feed from position 0 over `on` (the store, or it with some calls replaced). */
  function openFeed(on: EventStore, retryMs = 5): LogFeed {
    const created = new LogFeed(on, { afterPosition: 0, catchUpBatch: 4, liveBatch: 2, retryMs });
    feeds.push(created);
    return created;
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

  it('given the store unavailable between two pages, then it waits, reads again from where it stood, and gives every event once', async () => {
    await append(6);
    let reads = 0;
    const flaky = withCalls(store, {
      readAll: (options) => {
        reads += 1;
        return reads === 2 || reads === 3
          ? Promise.reject(new StoreUnavailableError('the store is down'))
          : store.readAll(options);
      },
    });
    const batches = openFeed(flaky)[Symbol.asyncIterator]();

    expect(await next(batches)).toEqual([[1, 2, 3, 4], false]);
    expect(await next(batches)).toEqual([[5, 6], true]);
    expect(reads).toBe(4);
  });

  it('given its subscription failing because the store is unavailable, then it follows again from its last event', async () => {
    let subscriptions = 0;
    const failing: Subscription = {
      [Symbol.asyncIterator]: () => ({
        next: () => Promise.reject(new StoreUnavailableError('the store is down')),
      }),
      stop: () => Promise.resolve(),
    };
    const flaky = withCalls(store, {
      subscribeToAll: (options) => {
        subscriptions += 1;
        return subscriptions === 1 ? failing : store.subscribeToAll(options);
      },
    });
    const batches = openFeed(flaky)[Symbol.asyncIterator]();
    await append(1);
    expect(await next(batches)).toEqual([[1], true]);

    const waiting = next(batches);
    await append(1);
    // Read again from where it stood (a catch-up page), then followed through a new subscription.
    expect(await waiting).toEqual([[2], true]);
    const following = next(batches);
    await append(1);

    expect(await following).toEqual([[3], true]);
    expect(subscriptions).toBe(2);
  });

  it('given any other failure of the store, then the feed ends with it', async () => {
    const broken = withCalls(store, {
      readAll: () => Promise.reject(new Error('the file is not a database')),
    });
    await expect(openFeed(broken)[Symbol.asyncIterator]().next()).rejects.toThrow('not a database');
  });

  it('when stopped while waiting to read again, then it ends at once', async () => {
    const down = withCalls(store, {
      readAll: () => Promise.reject(new StoreUnavailableError('the store is down')),
    });
    const created = openFeed(down, 60_000);
    const waiting = created[Symbol.asyncIterator]().next();
    await new Promise((resolve) => setTimeout(resolve, 20));

    await created.stop();

    await expect(waiting).resolves.toMatchObject({ done: true });
  });
});
