import { createServer } from 'node:net';
import {
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
} from '@eventstore/db-client';
import type {
  AllStreamRecordedEvent,
  RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import { anEvent } from '../../testing/index.js';
import {
  StoreClosedError,
  StoreUnavailableError,
  WrongExpectedVersionError,
} from '../event-store.errors.js';
import type { RecordedEvent } from '../event-store.port.js';
import {
  EsdbEventStore,
  UNIQUE_KEY_NAMESPACE,
  esdbActualRevision,
  esdbCommitPosition,
  esdbAppendError,
  esdbExpectedRevision,
  esdbRecordedEvent,
  esdbStoreError,
  expectationHolds,
  firstRevisionHint,
  isLedgerEvent,
  parseUniqueKeyReservation,
  uniqueKeyStreamId,
  uuidV5,
} from './esdb-event-store.js';

/** A gRPC error as `@grpc/grpc-js` raises it, before the client converts it. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details });
}

function clientEvent(overrides: Partial<AllStreamRecordedEvent> = {}): AllStreamRecordedEvent {
  return {
    streamId: 'ticket-cope.T-1',
    id: 'a8f0c1de-1d4b-4b39-9b1a-3f6f2d8c9e01',
    isJson: true,
    revision: 4n,
    type: 'TicketIssued',
    created: new Date('2025-03-01T10:20:30.456Z'),
    data: { ticketId: 'T-1' },
    metadata: { correlationId: 'c-1' },
    position: { commit: 1234n, prepare: 1234n },
    ...overrides,
  } as AllStreamRecordedEvent;
}

function ledgerEvent(overrides: Partial<RecordedEvent>): RecordedEvent {
  return {
    id: 'f2c4b7a0-0000-4000-8000-000000000001',
    type: 'UniqueKeyReserved',
    data: {},
    metadata: {},
    streamId: 'dedup-cope.0f1e2d3c-0000-5000-8000-000000000000',
    revision: 0,
    position: 100,
    recordedAt: '2025-03-01T10:20:30.456Z',
    ...overrides,
  };
}

describe('EventStoreDB mapping', () => {
  describe('expected revisions', () => {
    it.each([
      ['no_stream', 'no_stream'],
      ['any', 'any'],
      ['stream_exists', 'stream_exists'],
      [0, 0n],
      [41, 41n],
    ] as const)('maps %p to the client’s %p', (expected, mapped) => {
      expect(esdbExpectedRevision(expected)).toBe(mapped);
    });

    it.each([-1, 1.5, Number.NaN, 2 ** 53])('rejects %p', (expected) => {
      expect(() => esdbExpectedRevision(expected)).toThrow(RangeError);
    });

    it('tells where the first event of an append lands when that is known', () => {
      expect(firstRevisionHint('no_stream')).toBe(0);
      expect(firstRevisionHint(6)).toBe(7);
      expect(firstRevisionHint('any')).toBe(-1);
      expect(firstRevisionHint('stream_exists')).toBe(-1);
    });

    it.each([
      ['any', 'no_stream', true],
      ['any', 3, true],
      ['no_stream', 'no_stream', true],
      ['no_stream', 0, false],
      ['stream_exists', 'no_stream', false],
      ['stream_exists', 2, true],
      [2, 2, true],
      [2, 3, false],
      [0, 'no_stream', false],
    ] as const)('checks %p against a stream at %p: %p', (expected, current, holds) => {
      expect(expectationHolds(expected, current)).toBe(holds);
    });

    it('reads the client’s current revision as a number, or no_stream', () => {
      expect(esdbActualRevision(5n)).toBe(5);
      expect(esdbActualRevision(0n)).toBe(0);
      expect(esdbActualRevision('no_stream')).toBe('no_stream');
      expect(esdbActualRevision(-1n)).toBe('no_stream');
    });
  });

  describe('errors', () => {
    it('maps the client’s wrong-expected-version error to the port’s, with the actual revision', () => {
      const error = esdbAppendError(
        'ticket-cope.T-1',
        0,
        new EsdbWrongExpectedVersionError(undefined, {
          streamName: 'ticket-cope.T-1',
          expected: 0n,
          current: 2n,
        }),
      );

      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: 'ticket-cope.T-1', expected: 0, actual: 2 });
    });

    it('maps a wrong expected version on a missing stream to actual no_stream', () => {
      const error = esdbAppendError(
        'ticket-cope.T-2',
        'stream_exists',
        new EsdbWrongExpectedVersionError(undefined, {
          streamName: 'ticket-cope.T-2',
          expected: 'stream_exists',
          current: 'no_stream',
        }),
      );

      expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
    });

    it.each([
      ['unavailable', new UnavailableError()],
      ['deadline exceeded', new DeadlineExceededError()],
      [
        'not leader',
        new NotLeaderError({
          message: 'Leader info available',
          metadata: {
            getMap: () => ({ 'leader-endpoint-host': 'node2', 'leader-endpoint-port': '2113' }),
          },
        } as unknown as ConstructorParameters<typeof NotLeaderError>[0]),
      ],
      ['a raw gRPC UNAVAILABLE', grpcError(14, 'No connection established')],
      ['a raw gRPC DEADLINE_EXCEEDED', grpcError(4, 'Deadline exceeded')],
      ['a raw gRPC ABORTED (server timeout)', grpcError(10, 'Operation timed out')],
      ['a failed cluster discovery', new Error('Failed to discover after 10 attempts.')],
    ])('maps %s to StoreUnavailableError, keeping the cause', (_, cause) => {
      const error = esdbStoreError(cause);

      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect(error.cause).toBeInstanceOf(Error);
    });

    it('keeps errors that are not about availability', () => {
      const notFound = new StreamNotFoundError(undefined, 'ticket-cope.T-1');
      const ours = new WrongExpectedVersionError('s-1', 0, 1);

      expect(esdbStoreError(notFound)).toBe(notFound);
      expect(esdbStoreError(ours)).toBe(ours);
      expect(esdbStoreError(grpcError(3, 'bad request'))).not.toBeInstanceOf(StoreUnavailableError);
      expect(esdbStoreError('text')).toBeInstanceOf(Error);
    });
  });

  describe('recorded events', () => {
    it('maps a JSON event of the client to the port’s event', () => {
      expect(esdbRecordedEvent(clientEvent())).toEqual({
        id: 'a8f0c1de-1d4b-4b39-9b1a-3f6f2d8c9e01',
        type: 'TicketIssued',
        data: { ticketId: 'T-1' },
        metadata: { correlationId: 'c-1' },
        streamId: 'ticket-cope.T-1',
        revision: 4,
        position: 1234,
        recordedAt: '2025-03-01T10:20:30.456Z',
      });
    });

    it('hides the marker the adapter puts on the first event of an append', () => {
      const marked = clientEvent({ metadata: { correlationId: 'c-1', $appendId: 'a-1' } });

      expect(esdbRecordedEvent(marked).metadata).toEqual({ correlationId: 'c-1' });
    });

    it('reads missing metadata as {} and JSON held as bytes as its object', () => {
      const bytes = clientEvent({
        isJson: false,
        data: new TextEncoder().encode('{"seats":[1,2]}'),
        metadata: undefined,
      });

      expect(esdbRecordedEvent(bytes)).toMatchObject({ data: { seats: [1, 2] }, metadata: {} });
    });

    it('reads a payload that is not a JSON object as {}', () => {
      const odd = clientEvent({ data: ['not', 'an', 'object'], metadata: 'text' });

      expect(esdbRecordedEvent(odd)).toMatchObject({ data: {}, metadata: {} });
    });

    it('reads a stream event without a position (servers before 22.6) at position 0', () => {
      const { position: _, ...withoutPosition } = clientEvent();

      expect(esdbRecordedEvent(withoutPosition as EsdbRecordedEvent).position).toBe(0);
      expect(esdbCommitPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toBe(0);
      expect(esdbCommitPosition({ commit: 77n, prepare: 70n })).toBe(77);
    });
  });

  describe('unique keys', () => {
    it('uses a key shaped as a ledger deduplication stream as its own reservation stream', () => {
      const key = 'dedup-cope.0f1e2d3c-4b5a-5968-8776-655443322110';

      expect(uniqueKeyStreamId(key)).toBe(key);
    });

    it('names the reservation stream of any other key by its UUID v5', () => {
      expect(uniqueKeyStreamId('dedup key with spaces')).toBe(
        'unique-key.35515d74-1188-5c08-99d7-667746c5073b',
      );
      // Never another stream of the ledger, whatever the key looks like.
      expect(uniqueKeyStreamId('ticket-cope.abc123')).toBe(
        `unique-key.${uuidV5('ticket-cope.abc123', UNIQUE_KEY_NAMESPACE)}`,
      );
    });

    it('computes RFC 4122 version 5 UUIDs', () => {
      const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
      const url = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

      expect(uuidV5('www.example.com', dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
      expect(uuidV5('hello', url)).toBe('074171de-bc84-5ea4-b636-1135477620e1');
      expect(() => uuidV5('x', 'not-a-uuid')).toThrow(RangeError);
    });

    it('reads a reservation event', () => {
      const reserved = ledgerEvent({
        revision: 3,
        data: {
          key: 'k',
          streamId: 'ticket-cope.T-1',
          firstEventId: 'ABCDEF00-0000-4000-8000-000000000000',
          firstRevision: 2,
        },
      });

      expect(parseUniqueKeyReservation(reserved)).toEqual({
        kind: 'reserved',
        revision: 3,
        streamId: 'ticket-cope.T-1',
        firstEventId: 'abcdef00-0000-4000-8000-000000000000',
        firstRevision: 2,
      });
      expect(
        parseUniqueKeyReservation({
          ...reserved,
          type: 'UniqueKeyReleased',
          data: { streamId: 's', firstEventId: 'e' },
        }),
      ).toMatchObject({ kind: 'released', firstRevision: -1 });
      expect(parseUniqueKeyReservation({ ...reserved, type: 'WebhookReceived' })).toBeUndefined();
      expect(parseUniqueKeyReservation({ ...reserved, data: { streamId: 's' } })).toBeUndefined();
    });

    it('hides reservation and system events from the ledger’s view of the log', () => {
      expect(isLedgerEvent('ticket-cope.T-1', 'TicketIssued')).toBe(true);
      expect(isLedgerEvent('dedup-cope.0f1e2d3c', 'WebhookReceived')).toBe(true);
      expect(isLedgerEvent('ticket-cope.T-1', 'UniqueKeyReserved')).toBe(true);
      expect(isLedgerEvent('dedup-cope.0f1e2d3c', 'UniqueKeyReserved')).toBe(false);
      expect(isLedgerEvent('unique-key.0f1e2d3c', 'UniqueKeyReleased')).toBe(false);
      expect(isLedgerEvent('$$ticket-cope.T-1', '$metadata')).toBe(false);
      expect(isLedgerEvent('$stats-127.0.0.1:2113', 'StatsCollected')).toBe(false);
      expect(isLedgerEvent('ticket-cope.T-1', '$>')).toBe(false);
    });
  });
});

describe('EventStoreDB adapter without a reachable server', () => {
  let store: EsdbEventStore;

  beforeEach(async () => {
    store = EsdbEventStore.connect(`esdb://127.0.0.1:${await closedPort()}?tls=false`);
  });

  afterEach(async () => {
    await store.close();
  });

  it('reports every operation unavailable', async () => {
    const append = store.appendToStream('ticket-test.1', [anEvent()], {
      expectedRevision: 'no_stream',
      uniqueKeys: ['dedup-test.0f1e2d3c'],
    });

    await expect(append).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readStream('ticket-test.1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll({ afterPosition: 10 })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(store.headPosition()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.findUniqueKey('dedup-test.0f1e2d3c')).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('reports itself down, naming the reason', async () => {
    const health = await store.health();

    expect(health).toMatchObject({ status: 'down', store: 'eventstoredb' });
    expect(health.detail).toMatch(/unavailable/i);
  });

  it('rejects a bad expected revision before contacting the server', async () => {
    await expect(
      store.appendToStream('ticket-test.1', [anEvent()], { expectedRevision: -1 }),
    ).rejects.toBeInstanceOf(RangeError);
  });

  it.each([0, 42])(
    'fails a subscription after %p as unavailable, and stops it',
    async (afterPosition) => {
      const subscription = store.subscribeToAll({ afterPosition });
      const iterator = subscription[Symbol.asyncIterator]();

      await expect(iterator.next()).rejects.toBeInstanceOf(StoreUnavailableError);
      await subscription.stop();
      await expect(iterator.next()).resolves.toMatchObject({ done: true });
    },
  );

  it('ends a pending read of a subscription when stopped', async () => {
    const subscription = store.subscribeToAll();
    const pending = subscription[Symbol.asyncIterator]().next();

    await subscription.stop();

    await expect(pending).resolves.toMatchObject({ done: true });
  });

  it('waits for in-flight operations when closing, then refuses new ones', async () => {
    const pending = store.readStream('ticket-test.1');
    const settled = pending.then(
      () => 'resolved',
      () => 'rejected',
    );

    await store.close();

    expect(await Promise.race([settled, Promise.resolve('pending')])).toBe('rejected');
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreClosedError);
    await expect(
      store.appendToStream('ticket-test.1', [anEvent()], { expectedRevision: 'any' }),
    ).rejects.toBeInstanceOf(StoreClosedError);
    expect(await store.health()).toEqual({
      status: 'down',
      store: 'eventstoredb',
      detail: 'closed',
    });
    const late = store.subscribeToAll()[Symbol.asyncIterator]();
    await expect(late.next()).resolves.toMatchObject({ done: true });
  });
});

/** A local port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
