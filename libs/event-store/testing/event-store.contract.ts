import { randomUUID } from 'node:crypto';
import {
  UniqueKeyViolationError,
  WrongExpectedVersionError,
  type EventStore,
  type EventToAppend,
  type JsonObject,
  type RecordedEvent,
} from '../src/index.js';

/** What an adapter's test file hands the contract suite. */
export interface EventStoreFixture {
  readonly store: EventStore;
  /** Releases the store and whatever the fixture created (files, connections). */
  dispose(): Promise<void>;
}

export function anEvent(type = 'SomethingHappened', data: JsonObject = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { correlationId: randomUUID() } };
}

function events(count: number, type = 'Counted'): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => anEvent(type, { index }));
}

/** Takes the next `count` events of a subscription's iterator, failing after `timeoutMs`. */
export async function take(
  iterator: AsyncIterator<RecordedEvent>,
  count: number,
  timeoutMs = 5000,
): Promise<RecordedEvent[]> {
  const received: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, remaining);
    });
    const next = await Promise.race([iterator.next(), timeout]);
    clearTimeout(timer);
    if (next === 'timeout') {
      throw new Error(`received ${received.length} of ${count} events in ${timeoutMs} ms`);
    }
    if (next.done) break;
    received.push(next.value);
  }
  return received;
}

/**
 * The behavioural contract every event-store adapter passes. The store may already
 * hold events (EventStoreDB is shared between runs): tests use fresh stream ids and
 * positions measured at their start, never an empty global log.
 */
export function describeEventStoreContract(
  adapterName: string,
  openFixture: () => Promise<EventStoreFixture>,
): void {
  describe(`${adapterName} event store contract`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;
    const streamId = (category = 'contract') => `${category}-test.${randomUUID()}`;

    beforeEach(async () => {
      fixture = await openFixture();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    describe('appending', () => {
      it('given no stream, when events are appended with no_stream, then they get revisions from 0 and increasing positions', async () => {
        const id = streamId();
        const result = await store.appendToStream(id, events(3), { expectedRevision: 'no_stream' });

        const stored = await store.readStream(id);
        expect(stored.map((event) => event.revision)).toEqual([0, 1, 2]);
        expect(result.nextExpectedRevision).toBe(2);
        expect(result.alreadyAppended).toBe(false);
        expect(result.position).toBe(stored[2]!.position);
        expect(stored[0]!.position).toBeLessThan(stored[1]!.position);
        expect(stored[1]!.position).toBeLessThan(stored[2]!.position);
      });

      it('when an event is read back, then it carries id, type, data, metadata, stream id, revision, position and recorded-at', async () => {
        const id = streamId();
        const event = anEvent('TicketIssued', { ticketId: 'T-1', seats: [1, 2], price: 10.5 });
        const before = Date.now();
        await store.appendToStream(id, [event], { expectedRevision: 'no_stream' });

        const [stored] = await store.readStream(id);
        expect(stored).toMatchObject({
          id: event.id,
          type: 'TicketIssued',
          data: event.data,
          metadata: event.metadata,
          streamId: id,
          revision: 0,
        });
        expect(stored!.position).toBeGreaterThan(0);
        expect(Date.parse(stored!.recordedAt)).toBeGreaterThanOrEqual(before - 60_000);
        expect(stored!.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      });

      it('given an existing stream, when appending with no_stream, then a wrong-expected-version error names the actual revision', async () => {
        const id = streamId();
        await store.appendToStream(id, events(2), { expectedRevision: 'no_stream' });

        const failure = store.appendToStream(id, events(1), { expectedRevision: 'no_stream' });

        await expect(failure).rejects.toBeInstanceOf(WrongExpectedVersionError);
        await expect(failure).rejects.toMatchObject({ streamId: id, actual: 1 });
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('given a stream at revision 1, when appending at exact revision 1, then it succeeds, and at revision 0 it fails', async () => {
        const id = streamId();
        await store.appendToStream(id, events(2), { expectedRevision: 'no_stream' });

        const result = await store.appendToStream(id, events(1), { expectedRevision: 1 });
        expect(result.nextExpectedRevision).toBe(2);

        await expect(
          store.appendToStream(id, events(1), { expectedRevision: 0 }),
        ).rejects.toMatchObject({ name: 'WrongExpectedVersionError', expected: 0, actual: 2 });
      });

      it('given no stream, when appending with stream_exists or an exact revision, then it fails with actual no_stream', async () => {
        const id = streamId();

        await expect(
          store.appendToStream(id, events(1), { expectedRevision: 'stream_exists' }),
        ).rejects.toMatchObject({ name: 'WrongExpectedVersionError', actual: 'no_stream' });
        await expect(
          store.appendToStream(id, events(1), { expectedRevision: 0 }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(id)).toEqual([]);
      });

      it('when appending with any, then it appends whether or not the stream exists', async () => {
        const id = streamId();
        await store.appendToStream(id, events(1), { expectedRevision: 'any' });
        const result = await store.appendToStream(id, events(2), { expectedRevision: 'any' });

        expect(result.nextExpectedRevision).toBe(2);
        expect(await store.readStream(id)).toHaveLength(3);
      });

      it('given ten concurrent writers with the same expected revision, then exactly one wins', async () => {
        const id = streamId();
        await store.appendToStream(id, events(1), { expectedRevision: 'no_stream' });

        const attempts = await Promise.allSettled(
          Array.from({ length: 10 }, (_, writer) =>
            store.appendToStream(id, [anEvent('Written', { writer })], { expectedRevision: 0 }),
          ),
        );

        const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
        const lost = attempts.filter((attempt) => attempt.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const attempt of lost) {
          expect(attempt.reason).toBeInstanceOf(WrongExpectedVersionError);
        }
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('given concurrent appends to different streams where one conflicts, then only that one fails', async () => {
        const conflicting = streamId();
        const healthy = streamId();
        await store.appendToStream(conflicting, events(1), { expectedRevision: 'no_stream' });

        const [bad, good] = await Promise.allSettled([
          store.appendToStream(conflicting, events(1), { expectedRevision: 'no_stream' }),
          store.appendToStream(healthy, events(2), { expectedRevision: 'no_stream' }),
        ]);

        expect(bad.status).toBe('rejected');
        expect(good.status).toBe('fulfilled');
        expect(await store.readStream(healthy)).toHaveLength(2);
      });
    });

    describe('idempotent re-append', () => {
      it('given events appended at an exact revision, when the same ids are appended again there, then it succeeds without writing', async () => {
        const id = streamId();
        await store.appendToStream(id, events(1), { expectedRevision: 'no_stream' });
        const batch = events(2);
        const first = await store.appendToStream(id, batch, { expectedRevision: 0 });

        const retried = await store.appendToStream(id, batch, { expectedRevision: 0 });

        expect(retried).toMatchObject({ nextExpectedRevision: 2, position: first.position });
        expect(retried.alreadyAppended).toBe(true);
        expect(await store.readStream(id)).toHaveLength(3);
      });

      it('given events appended with no_stream, when retried with no_stream, then it succeeds without writing', async () => {
        const id = streamId();
        const batch = events(3);
        await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });

        const retried = await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });

        expect(retried.nextExpectedRevision).toBe(2);
        expect(await store.readStream(id)).toHaveLength(3);
      });

      it('given events appended with any, when retried with any, then nothing is duplicated', async () => {
        const id = streamId();
        const batch = events(2);
        await store.appendToStream(id, batch, { expectedRevision: 'any' });
        await store.appendToStream(id, events(1), { expectedRevision: 'any' });

        await store.appendToStream(id, batch, { expectedRevision: 'any' });

        const ids = (await store.readStream(id)).map((event) => event.id);
        expect(ids).toHaveLength(3);
        expect(new Set(ids).size).toBe(3);
      });

      it('given events at a revision, when different ids are appended at that revision, then it is a conflict', async () => {
        const id = streamId();
        const batch = events(2);
        await store.appendToStream(id, batch, { expectedRevision: 'no_stream' });

        await expect(
          store.appendToStream(id, [batch[0]!, anEvent()], { expectedRevision: 'no_stream' }),
        ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      });
    });

    describe('unique keys', () => {
      it('given a claimed key, when another append claims it, then it fails naming the owner and writes nothing', async () => {
        const key = `dedup-test.${randomUUID()}`;
        const owner = streamId();
        const other = streamId();
        await store.appendToStream(owner, events(1), {
          expectedRevision: 'no_stream',
          uniqueKeys: [key],
        });

        const failure = store.appendToStream(other, events(1), {
          expectedRevision: 'no_stream',
          uniqueKeys: [`dedup-test.${randomUUID()}`, key],
        });

        await expect(failure).rejects.toBeInstanceOf(UniqueKeyViolationError);
        await expect(failure).rejects.toMatchObject({
          key,
          owner: { streamId: owner, revision: 0 },
        });
        expect(await store.readStream(other)).toEqual([]);
      });

      it('when a key is looked up, then its owner is found, and an unknown key is undefined', async () => {
        const key = `dedup-test.${randomUUID()}`;
        const owner = streamId();
        await store.appendToStream(owner, events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(owner, events(1), { expectedRevision: 1, uniqueKeys: [key] });

        expect(await store.findUniqueKey(key)).toEqual({ key, streamId: owner, revision: 2 });
        expect(await store.findUniqueKey(`dedup-test.${randomUUID()}`)).toBeUndefined();
      });

      it('given twenty concurrent appends claiming one key for different streams, then exactly one succeeds', async () => {
        const key = `dedup-test.${randomUUID()}`;
        const streams = Array.from({ length: 20 }, () => streamId());

        const attempts = await Promise.allSettled(
          streams.map((id) =>
            store.appendToStream(id, events(1), {
              expectedRevision: 'no_stream',
              uniqueKeys: [key],
            }),
          ),
        );

        expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
        const written = await Promise.all(streams.map((id) => store.readStream(id)));
        expect(written.filter((stream) => stream.length > 0)).toHaveLength(1);
      });
    });

    describe('reading a stream', () => {
      it('reads forwards from a revision with a limit', async () => {
        const id = streamId();
        await store.appendToStream(id, events(10), { expectedRevision: 'no_stream' });

        const page = await store.readStream(id, { fromRevision: 3, limit: 4 });

        expect(page.map((event) => event.revision)).toEqual([3, 4, 5, 6]);
        expect(page.map((event) => event.data['index'])).toEqual([3, 4, 5, 6]);
      });

      it('reads backwards from the end, and from a revision', async () => {
        const id = streamId();
        await store.appendToStream(id, events(5), { expectedRevision: 'no_stream' });

        const fromEnd = await store.readStream(id, { direction: 'backwards', limit: 2 });
        const fromTwo = await store.readStream(id, { direction: 'backwards', fromRevision: 2 });

        expect(fromEnd.map((event) => event.revision)).toEqual([4, 3]);
        expect(fromTwo.map((event) => event.revision)).toEqual([2, 1, 0]);
      });

      it('reads a stream that does not exist as empty, forwards and backwards', async () => {
        const id = streamId();

        expect(await store.readStream(id)).toEqual([]);
        expect(await store.readStream(id, { direction: 'backwards', limit: 1 })).toEqual([]);
      });

      it('reads past the end of a stream as empty', async () => {
        const id = streamId();
        await store.appendToStream(id, events(2), { expectedRevision: 'no_stream' });

        expect(await store.readStream(id, { fromRevision: 2 })).toEqual([]);
      });

      it('keeps an event of 1 MB intact', async () => {
        const id = streamId();
        const payload = 'x'.repeat(1024 * 1024);
        await store.appendToStream(id, [anEvent('Large', { payload })], {
          expectedRevision: 'no_stream',
        });

        const [stored] = await store.readStream(id);
        expect(stored!.data['payload']).toBe(payload);
      });

      it('keeps unicode in stream ids, types, data and metadata intact', async () => {
        const id = streamId('bühne');
        const text = 'Zoë 🎭 «Ópera» — 東京 ‫עברית‬ \u0000 \ud83d\ude00 ñ';
        const event: EventToAppend = {
          id: randomUUID(),
          type: 'Ünïcode',
          data: { text, [text]: 'key' },
          metadata: { note: text },
        };
        await store.appendToStream(id, [event], { expectedRevision: 'no_stream' });

        const [stored] = await store.readStream(id);
        expect(stored).toMatchObject({ streamId: id, type: 'Ünïcode', data: event.data });
        expect(stored!.metadata).toEqual(event.metadata);
      });
    });

    describe('the global log', () => {
      it('reads in commit order after a position, with a limit', async () => {
        const head = await store.headPosition();
        const first = streamId();
        const second = streamId();
        await store.appendToStream(first, events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(second, events(2), { expectedRevision: 'no_stream' });

        const log = ownEvents(await store.readAll({ afterPosition: head, limit: 1000 }), [
          first,
          second,
        ]);
        expect(log.map((event) => `${event.streamId}@${event.revision}`)).toEqual([
          `${first}@0`,
          `${first}@1`,
          `${second}@0`,
          `${second}@1`,
        ]);
        const page = await store.readAll({ afterPosition: log[0]!.position, limit: 1 });
        expect(page).toHaveLength(1);
        expect(page[0]!.position).toBeGreaterThan(log[0]!.position);
      });

      it('given concurrent appends, then the log has strictly increasing positions and every stream in revision order', async () => {
        const head = await store.headPosition();
        const streams = Array.from({ length: 8 }, () => streamId());

        await Promise.all(
          streams.map(async (id) => {
            for (let revision = 0; revision < 5; revision += 1) {
              await store.appendToStream(id, events(2), {
                expectedRevision: revision === 0 ? 'no_stream' : revision * 2 - 1,
              });
            }
          }),
        );

        const log = ownEvents(await store.readAll({ afterPosition: head, limit: 10_000 }), streams);
        expect(log).toHaveLength(80);
        for (let index = 1; index < log.length; index += 1) {
          expect(log[index]!.position).toBeGreaterThan(log[index - 1]!.position);
        }
        for (const id of streams) {
          const revisions = log.filter((event) => event.streamId === id).map((e) => e.revision);
          expect(revisions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        }
      });

      it('reports the head position as the position of the last append', async () => {
        const result = await store.appendToStream(streamId(), events(3), {
          expectedRevision: 'no_stream',
        });

        expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
        const tail = await store.readAll({ afterPosition: result.position - 1, limit: 1 });
        expect(tail[0]!.position).toBe(result.position);
      });
    });

    describe('subscriptions', () => {
      it('catches up with stored events, then receives live appends', async () => {
        const head = await store.headPosition();
        const id = streamId();
        await store.appendToStream(id, events(3), { expectedRevision: 'no_stream' });
        const subscription = store.subscribeToAll({ afterPosition: head });
        const iterator = subscription[Symbol.asyncIterator]();

        try {
          const caughtUp = await takeOwn(iterator, id, 3);
          await store.appendToStream(id, events(2), { expectedRevision: 2 });
          const live = await takeOwn(iterator, id, 2);

          expect([...caughtUp, ...live].map((event) => event.revision)).toEqual([0, 1, 2, 3, 4]);
        } finally {
          await subscription.stop();
        }
      });

      it('starts after the given position', async () => {
        const id = streamId();
        const first = await store.appendToStream(id, events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(id, events(1), { expectedRevision: 1 });
        const subscription = store.subscribeToAll({ afterPosition: first.position });

        try {
          const [next] = await takeOwn(subscription[Symbol.asyncIterator](), id, 1);
          expect(next!.revision).toBe(2);
        } finally {
          await subscription.stop();
        }
      });

      it('when stopped while waiting, then the pending read ends and the iteration is done', async () => {
        const subscription = store.subscribeToAll({ afterPosition: await store.headPosition() });
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();

        await subscription.stop();

        await expect(pending).resolves.toMatchObject({ done: true });
        await expect(iterator.next()).resolves.toMatchObject({ done: true });
      });

      it('delivers every event of concurrent appends exactly once, in position order', async () => {
        const head = await store.headPosition();
        const streams = Array.from({ length: 5 }, () => streamId());
        const subscription = store.subscribeToAll({ afterPosition: head });

        try {
          await Promise.all(
            streams.map((id) => store.appendToStream(id, events(4), { expectedRevision: 'any' })),
          );
          const received: RecordedEvent[] = [];
          const iterator = subscription[Symbol.asyncIterator]();
          while (received.length < 20) {
            const [next] = await take(iterator, 1);
            if (next && streams.includes(next.streamId)) received.push(next);
          }
          expect(new Set(received.map((event) => event.id)).size).toBe(20);
          const positions = received.map((event) => event.position);
          expect([...positions].sort((a, b) => a - b)).toEqual(positions);
        } finally {
          await subscription.stop();
        }
      });
    });

    describe('operations', () => {
      it('reports itself healthy', async () => {
        expect(await store.health()).toMatchObject({ status: 'up' });
      });
    });
  });
}

/** Events of the given streams only: a shared store may hold other writers' events. */
function ownEvents(log: RecordedEvent[], streams: string[]): RecordedEvent[] {
  return log.filter((event) => streams.includes(event.streamId));
}

async function takeOwn(
  iterator: AsyncIterator<RecordedEvent>,
  streamId: string,
  count: number,
): Promise<RecordedEvent[]> {
  const own: RecordedEvent[] = [];
  while (own.length < count) {
    const [next] = await take(iterator, 1);
    if (!next) break;
    if (next.streamId === streamId) own.push(next);
  }
  return own;
}
