import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { anEvent, describeEventStoreContract, take } from '../../testing/index.js';
import { UniqueKeyViolationError, WrongExpectedVersionError } from '../event-store.errors.js';
import type { RecordedEvent } from '../event-store.port.js';
import { EsdbEventStore, uniqueKeyStreamId } from './esdb-event-store.js';

// `docker compose up -d eventstore && npm run test:esdb` sets it to the compose file's node.
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (!connectionString) {
  console.warn(
    'EventStoreDB tests skipped: EVENTSTORE_CONNECTION_STRING is not set ' +
      '(`docker compose up -d eventstore && npm run test:esdb` runs them).',
  );
}
const describeIfEsdb = connectionString ? describe : describe.skip;

describeIfEsdb('EventStoreDB adapter', () => {
  const connect = () => EsdbEventStore.connect(connectionString!);

  describeEventStoreContract('EventStoreDB', () => {
    const store = connect();
    return Promise.resolve({ store, dispose: () => store.close() });
  });

  describe('EventStoreDB specifics', () => {
    let store: EsdbEventStore;
    const streamId = () => `specifics-test.${randomUUID()}`;
    const key = () => `dedup-test.${randomUUID()}`;

    beforeEach(() => {
      store = connect();
    });

    afterEach(async () => {
      await store.close();
    });

    it('given a key reserved by an append that never reached its stream (a crash), when the append is retried, then it completes', async () => {
      const id = streamId();
      const claimed = key();
      const event = anEvent('TicketIssued');
      const client = EventStoreDBClient.connectionString(connectionString!);
      await client.appendToStream(
        uniqueKeyStreamId(claimed),
        jsonEvent({
          type: 'UniqueKeyReserved',
          data: { key: claimed, streamId: id, firstEventId: event.id, firstRevision: 0 },
        }),
        { expectedRevision: 'no_stream' },
      );
      await client.dispose();

      const result = await store.appendToStream(id, [event], {
        expectedRevision: 'no_stream',
        uniqueKeys: [claimed],
      });

      expect(result).toMatchObject({ nextExpectedRevision: 0, alreadyAppended: false });
      expect((await store.readStream(id)).map((stored) => stored.id)).toEqual([event.id]);
      expect(await store.findUniqueKey(claimed)).toEqual({
        key: claimed,
        streamId: id,
        revision: 0,
      });
    });

    it('given an append with a key, then the key’s reservation stream holds the append’s first event (the receipt) as appended', async () => {
      const id = streamId();
      const claimed = key();
      const receipt = anEvent('WebhookReceived');

      await store.appendToStream(id, [receipt, anEvent()], {
        expectedRevision: 'no_stream',
        uniqueKeys: [claimed],
      });

      const client = EventStoreDBClient.connectionString(connectionString!);
      const reservations: unknown[] = [];
      for await (const resolved of client.readStream(uniqueKeyStreamId(claimed))) {
        reservations.push(resolved.event?.data);
      }
      await client.dispose();
      expect(reservations).toEqual([
        expect.objectContaining({
          key: claimed,
          streamId: id,
          receipt: {
            id: receipt.id,
            type: 'WebhookReceived',
            data: receipt.data,
            metadata: receipt.metadata,
          },
        }),
      ]);
    });

    it('given an append with keys, when it is retried, then it is answered as already appended', async () => {
      const id = streamId();
      const keys = [key(), key()];
      const batch = [anEvent(), anEvent()];
      const first = await store.appendToStream(id, batch, {
        expectedRevision: 'no_stream',
        uniqueKeys: keys,
      });

      const retried = await store.appendToStream(id, batch, {
        expectedRevision: 'no_stream',
        uniqueKeys: keys,
      });

      expect(first.alreadyAppended).toBe(false);
      expect(retried).toEqual({ ...first, alreadyAppended: true });
      expect(await store.readStream(id)).toHaveLength(2);
    });

    it.each([
      ['with a key', () => [`dedup-test.${randomUUID()}`]],
      ['without keys', () => undefined],
    ])(
      'given ten concurrent copies of one append %s, then exactly one reports writing it',
      async (_, uniqueKeys) => {
        const id = streamId();
        const keys = uniqueKeys();
        const batch = [anEvent(), anEvent()];

        const results = await Promise.all(
          Array.from({ length: 10 }, () =>
            store.appendToStream(id, batch, {
              expectedRevision: 'no_stream',
              ...(keys ? { uniqueKeys: keys } : {}),
            }),
          ),
        );

        expect(results.filter((result) => !result.alreadyAppended)).toHaveLength(1);
        expect(new Set(results.map((result) => result.position)).size).toBe(1);
        expect(await store.readStream(id)).toHaveLength(2);
      },
      20_000,
    );

    it('given an append with any and a key, when it is retried after later appends, then nothing is duplicated', async () => {
      const id = streamId();
      const claimed = key();
      const batch = [anEvent()];
      await store.appendToStream(id, batch, { expectedRevision: 'any', uniqueKeys: [claimed] });
      await store.appendToStream(id, [anEvent(), anEvent()], { expectedRevision: 'any' });

      const retried = await store.appendToStream(id, batch, {
        expectedRevision: 'any',
        uniqueKeys: [claimed],
      });

      expect(retried).toMatchObject({ nextExpectedRevision: 0, alreadyAppended: true });
      expect(await store.readStream(id)).toHaveLength(3);
      expect(await store.findUniqueKey(claimed)).toEqual({
        key: claimed,
        streamId: id,
        revision: 0,
      });
    });

    it('given an append failing on its expected revision, then its keys are free again', async () => {
      const existing = streamId();
      const other = streamId();
      const claimed = key();
      await store.appendToStream(existing, [anEvent()], { expectedRevision: 'no_stream' });

      await expect(
        store.appendToStream(existing, [anEvent()], {
          expectedRevision: 'no_stream',
          uniqueKeys: [claimed],
        }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(await store.findUniqueKey(claimed)).toBeUndefined();

      await store.appendToStream(other, [anEvent()], {
        expectedRevision: 'no_stream',
        uniqueKeys: [claimed],
      });
      expect(await store.findUniqueKey(claimed)).toEqual({
        key: claimed,
        streamId: other,
        revision: 0,
      });
    });

    it('given an append refused for one taken key, then the other keys it reserved are free again', async () => {
      const taken = key();
      const spare = key();
      await store.appendToStream(streamId(), [anEvent()], {
        expectedRevision: 'no_stream',
        uniqueKeys: [taken],
      });

      await expect(
        store.appendToStream(streamId(), [anEvent()], {
          expectedRevision: 'no_stream',
          uniqueKeys: [spare, taken],
        }),
      ).rejects.toBeInstanceOf(UniqueKeyViolationError);

      expect(await store.findUniqueKey(spare)).toBeUndefined();
      await expect(
        store.appendToStream(streamId(), [anEvent()], {
          expectedRevision: 'no_stream',
          uniqueKeys: [spare],
        }),
      ).resolves.toMatchObject({ alreadyAppended: false });
    });

    it('reserves a key of any shape in a stream of its own, hidden from the global log', async () => {
      const head = await store.headPosition();
      const id = streamId();
      const claimed = `order ${randomUUID()} / cope`;

      const result = await store.appendToStream(id, [anEvent()], {
        expectedRevision: 'no_stream',
        uniqueKeys: [claimed],
      });

      const [reservation] = await store.readStream(uniqueKeyStreamId(claimed));
      expect(uniqueKeyStreamId(claimed)).toMatch(/^unique-key\.[0-9a-f-]{36}$/);
      expect(reservation).toMatchObject({ type: 'UniqueKeyReserved', data: { streamId: id } });
      const log = await store.readAll({ afterPosition: head, limit: 10_000 });
      expect(log.map((event) => event.type)).not.toContain('UniqueKeyReserved');
      expect(log.map((event) => event.position)).toContain(result.position);
      expect(await store.headPosition()).toBeGreaterThanOrEqual(result.position);
    });

    it('subscribes after a number that is not an event position', async () => {
      const id = streamId();
      const result = await store.appendToStream(id, [anEvent(), anEvent()], {
        expectedRevision: 'no_stream',
      });
      const subscription = store.subscribeToAll({ afterPosition: result.position - 1 });

      try {
        const iterator = subscription[Symbol.asyncIterator]();
        let next: RecordedEvent | undefined;
        do [next] = await take(iterator, 1);
        while (next && next.streamId !== id);
        expect(next).toMatchObject({ streamId: id, revision: 1, position: result.position });
      } finally {
        await subscription.stop();
      }
    });
  });
});
