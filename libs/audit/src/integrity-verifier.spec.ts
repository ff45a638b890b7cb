import { AUDIT_CHECKPOINTS_STREAM, chainHash, metadataWithoutHash } from '#ledger';
import { foldCheckpoints, parseCheckpoint, storedHash } from './integrity-checkpoint.js';
import { IntegrityCheckpointer } from './integrity-checkpointer.js';
import { verifyIntegrity } from './integrity-verifier.js';
import { merkleRootOfHeads } from './merkle-tree.js';
import { logHeadSource, MemoryEventLog } from './testing/memory-event-log.js';

const NOW = () => new Date('2026-05-05T12:00:00.000Z');

/** Three streams of hand-built, correctly chained events. */
function givenLog(): MemoryEventLog {
  const log = new MemoryEventLog();
  log.appendChained(
    'ticket-cope.T1',
    { type: 'WebhookReceived' },
    { type: 'TicketDeliveryRequested' },
    { type: 'WebhookReceived' },
    { type: 'TicketCheckedIn' },
  );
  log.appendChained('booking-ltd.B1', { type: 'WebhookReceived' }, { type: 'BookingTicketIssued' });
  log.appendChained('show-cope.E1', { type: 'WebhookReceived' }, { type: 'CopeEventPublished' });
  return log;
}

function checkpointer(log: MemoryEventLog, headsPerEvent?: number): IntegrityCheckpointer {
  return new IntegrityCheckpointer({
    store: log,
    heads: logHeadSource(log),
    now: NOW,
    ...(headsPerEvent === undefined ? {} : { headsPerEvent }),
  });
}

describe('verifyIntegrity on hand-built events', () => {
  it('given intact chains and no checkpoint, then every event and stream is checked and all is ok', async () => {
    const report = await verifyIntegrity(givenLog());

    expect(report).toMatchObject({
      ok: true,
      eventsChecked: 8,
      streamsChecked: 3,
      problems: [],
      problemCount: 0,
      checkpoint: null,
      checkedToPosition: 8,
    });
  });

  it('given intact chains and a checkpoint, then the heads and the Merkle root agree with it', async () => {
    const log = givenLog();
    await checkpointer(log).checkpointNow();

    const report = await verifyIntegrity(log, { pageSize: 3 });

    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.checkpoint).toMatchObject({ position: 8, streamCount: 3, revision: 0 });
    expect(report.eventsChecked).toBe(9);
  });

  it('given an event whose data was edited in the middle of a stream, then hash_mismatch at that revision only', async () => {
    const log = givenLog();
    log.replace('ticket-cope.T1', 1, (event) => ({ ...event, data: { n: 'edited' } }));

    const report = await verifyIntegrity(log);

    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ streamId: 'ticket-cope.T1', revision: 1, kind: 'hash_mismatch' }),
    ]);
  });

  it('given an event whose metadata (not its hash) was edited, then hash_mismatch too', async () => {
    const log = givenLog();
    log.replace('booking-ltd.B1', 0, (event) => ({
      ...event,
      metadata: { ...event.metadata, correlationId: 'forged' },
    }));

    const report = await verifyIntegrity(log);

    expect(report.problems).toEqual([
      expect.objectContaining({ streamId: 'booking-ltd.B1', revision: 0, kind: 'hash_mismatch' }),
    ]);
  });

  it('given an event deleted in the middle of a stream, then revision_gap at the missing revision only', async () => {
    const log = givenLog();
    log.remove((event) => event.streamId === 'ticket-cope.T1' && event.revision === 1);

    const report = await verifyIntegrity(log);

    expect(report.problems).toEqual([
      expect.objectContaining({ streamId: 'ticket-cope.T1', revision: 1, kind: 'revision_gap' }),
    ]);
  });

  it('given an event edited and its hash recomputed, then the next event no longer chains to it', async () => {
    const log = givenLog();
    log.replace('ticket-cope.T1', 1, (event) => {
      const data = { n: 'edited' };
      const previous = storedHash(log.at('ticket-cope.T1', 0));
      const hash = chainHash(previous, {
        ...event,
        data,
        metadata: metadataWithoutHash(event.metadata),
      });
      return { ...event, data, metadata: { ...event.metadata, hash } };
    });

    const report = await verifyIntegrity(log);

    expect(report.problems).toEqual([
      expect.objectContaining({ streamId: 'ticket-cope.T1', revision: 2, kind: 'hash_mismatch' }),
    ]);
  });

  it('given the last events of a stream deleted after a checkpoint, then truncated at the first missing revision', async () => {
    const log = givenLog();
    await checkpointer(log).checkpointNow();
    log.remove((event) => event.streamId === 'ticket-cope.T1' && event.revision >= 2);

    const report = await verifyIntegrity(log);

    expect(report.problems).toEqual([
      expect.objectContaining({ streamId: 'ticket-cope.T1', revision: 2, kind: 'truncated' }),
    ]);
  });

  it('given a whole stream removed after a checkpoint, then missing_stream', async () => {
    const log = givenLog();
    await checkpointer(log).checkpointNow();
    log.remove((event) => event.streamId === 'show-cope.E1');

    const report = await verifyIntegrity(log);

    expect(report.problems).toEqual([
      expect.objectContaining({ streamId: 'show-cope.E1', kind: 'missing_stream' }),
    ]);
    expect(report.problems[0]).not.toHaveProperty('revision');
    expect(report.streamsChecked).toBe(4);
  });

  it('given a stream rewritten with freshly chained events after a checkpoint, then checkpoint_mismatch at its head', async () => {
    const log = givenLog();
    await checkpointer(log).checkpointNow();
    log.remove((event) => event.streamId === 'booking-ltd.B1');
    const forged = new MemoryEventLog();
    forged.appendChained(
      'booking-ltd.B1',
      { type: 'WebhookReceived', data: { n: 'forged' } },
      { type: 'BookingTicketIssued' },
    );
    log.events.push(...forged.events.map((event, index) => ({ ...event, position: 4 + index })));

    const report = await verifyIntegrity(log);

    expect(report.problems).toEqual([
      expect.objectContaining({
        streamId: 'booking-ltd.B1',
        revision: 1,
        kind: 'checkpoint_mismatch',
      }),
    ]);
  });

  it('given events appended after the checkpoint, then they are checked for continuity only', async () => {
    const log = givenLog();
    await checkpointer(log).checkpointNow();
    log.appendChained('ticket-cope.T1', { type: 'WebhookReceived' });
    log.appendChained('ticket-cope.T2', { type: 'WebhookReceived' }, { type: 'TicketCheckedIn' });

    expect((await verifyIntegrity(log)).ok).toBe(true);

    log.remove((event) => event.streamId === 'ticket-cope.T2' && event.revision === 0);
    expect((await verifyIntegrity(log)).problems).toEqual([
      expect.objectContaining({ streamId: 'ticket-cope.T2', revision: 0, kind: 'revision_gap' }),
    ]);
  });

  it('given an event that carries no hash, then hash_mismatch says so', async () => {
    const log = givenLog();
    log.replace('show-cope.E1', 1, (event) => ({ ...event, metadata: {} }));

    const report = await verifyIntegrity(log);

    expect(report.problems).toEqual([
      expect.objectContaining({
        streamId: 'show-cope.E1',
        revision: 1,
        kind: 'hash_mismatch',
        detail: 'the event carries no integrity hash',
      }),
    ]);
  });

  it('given a stream id, then only that stream is read and compared with the checkpoint', async () => {
    const log = givenLog();
    await checkpointer(log).checkpointNow();
    log.remove((event) => event.streamId === 'ticket-cope.T1' && event.revision === 3);
    log.replace('booking-ltd.B1', 1, (event) => ({ ...event, data: { n: 'edited' } }));

    const one = await verifyIntegrity(log, { streamId: 'ticket-cope.T1' });
    const gone = await verifyIntegrity(log, { streamId: 'nobody' });

    expect(one).toMatchObject({ eventsChecked: 3, streamsChecked: 1, ok: false });
    expect(one.problems).toEqual([
      expect.objectContaining({ streamId: 'ticket-cope.T1', revision: 3, kind: 'truncated' }),
    ]);
    expect(gone).toMatchObject({ ok: true, eventsChecked: 0, streamsChecked: 0 });
  });

  it('given a checkpoint whose Merkle root was forged (and its chain rehashed), then checkpoint_mismatch on audit-checkpoints', async () => {
    const log = givenLog();
    await checkpointer(log).checkpointNow();
    log.replace(AUDIT_CHECKPOINTS_STREAM, 0, (event) => {
      const data = { ...event.data, merkleRoot: '00'.repeat(32) };
      const hash = chainHash('', { ...event, data, metadata: metadataWithoutHash(event.metadata) });
      return { ...event, data, metadata: { hash } };
    });

    const report = await verifyIntegrity(log);

    expect(report.problems).toEqual([
      expect.objectContaining({
        streamId: AUDIT_CHECKPOINTS_STREAM,
        revision: 0,
        kind: 'checkpoint_mismatch',
      }),
    ]);
  });
});

describe('IntegrityCheckpointer', () => {
  it('given streams, when it checkpoints, then heads of every stream, the Merkle root over all, the position, chained into audit-checkpoints', async () => {
    const log = givenLog();

    const result = await checkpointer(log).checkpointNow();

    expect(result).toMatchObject({ appended: true, position: 8, changedStreams: 3, parts: 1 });
    const stored = log.at(AUDIT_CHECKPOINTS_STREAM, 0);
    expect(stored.type).toBe('IntegrityCheckpoint');
    expect(parseCheckpoint(stored)).toEqual({
      position: 8,
      previousPosition: 0,
      merkleRoot: merkleRootOfHeads(log.heads().values()),
      streamCount: 3,
      heads: {
        'booking-ltd.B1': { revision: 1, hash: log.at('booking-ltd.B1', 1).metadata['hash'] },
        'show-cope.E1': { revision: 1, hash: log.at('show-cope.E1', 1).metadata['hash'] },
        'ticket-cope.T1': { revision: 3, hash: log.at('ticket-cope.T1', 3).metadata['hash'] },
      },
      part: 1,
      parts: 1,
      createdAt: '2026-05-05T12:00:00.000Z',
    });
    expect(stored.metadata['hash']).toBe(
      chainHash('', { ...stored, metadata: metadataWithoutHash(stored.metadata) }),
    );
  });

  it('given nothing changed since the last checkpoint (its own event aside), then it appends nothing', async () => {
    const log = givenLog();
    const subject = checkpointer(log);
    await subject.checkpointNow();

    const again = await subject.checkpointNow();

    expect(again).toMatchObject({ appended: false, reason: 'nothing_changed' });
    expect(log.events.filter((event) => event.streamId === AUDIT_CHECKPOINTS_STREAM)).toHaveLength(
      1,
    );
  });

  it('given one stream changed since, then the next checkpoint names only it, chains to the previous one, and its root covers all', async () => {
    const log = givenLog();
    const subject = checkpointer(log);
    await subject.checkpointNow();
    log.appendChained('booking-ltd.B1', { type: 'BookingTicketCancelled' });

    const result = await subject.checkpointNow();

    const second = log.at(AUDIT_CHECKPOINTS_STREAM, 1);
    const data = parseCheckpoint(second);
    expect(result).toMatchObject({ appended: true, changedStreams: 1, revision: 1 });
    expect(Object.keys(data?.heads ?? {})).toEqual(['booking-ltd.B1']);
    expect(data).toMatchObject({ position: 10, previousPosition: 8, streamCount: 3 });
    expect(data?.merkleRoot).toBe(merkleRootOfHeads(log.heads().values()));
    expect(second.metadata['hash']).toBe(
      chainHash(storedHash(log.at(AUDIT_CHECKPOINTS_STREAM, 0)), {
        ...second,
        metadata: metadataWithoutHash(second.metadata),
      }),
    );
    expect((await verifyIntegrity(log)).ok).toBe(true);
  });

  it('given checkpoints by two writers in turn, then each appends after the other’s, one chain', async () => {
    const log = givenLog();
    const first = checkpointer(log);
    const second = checkpointer(log);
    await first.checkpointNow();
    log.appendChained('show-cope.E1', { type: 'CopeEventPublished' });
    await second.checkpointNow();
    log.appendChained('show-cope.E1', { type: 'CopeEventPublished' });

    const result = await first.checkpointNow();

    expect(result).toMatchObject({ appended: true, revision: 2, changedStreams: 1 });
    expect((await verifyIntegrity(log)).ok).toBe(true);
  });

  it('given another writer appends a checkpoint between its read and its append, then it gives way: conflict, nothing of its own stored', async () => {
    const log = givenLog();
    const other = checkpointer(log);
    const append = log.appendToStream.bind(log);
    let raced = false;
    log.appendToStream = async (streamId, events, options) => {
      if (!raced) {
        raced = true;
        await other.checkpointNow();
      }
      return append(streamId, events, options);
    };

    const result = await checkpointer(log).checkpointNow();

    expect(result).toMatchObject({ appended: false, reason: 'conflict', changedStreams: 3 });
    expect(log.events.filter((event) => event.streamId === AUDIT_CHECKPOINTS_STREAM)).toHaveLength(
      1,
    );
    expect((await verifyIntegrity(log)).ok).toBe(true);
  });

  it('given more changed streams than fit one event, then a checkpoint of several parts that folds back to every head', async () => {
    const log = givenLog();
    for (let index = 0; index < 5; index += 1) {
      log.appendChained(`tickettype-ingresse.${String(index)}`, { type: 'TicketTypeReported' });
    }

    const result = await checkpointer(log, 3).checkpointNow();
    const folded = await foldCheckpoints(log);

    expect(result).toMatchObject({ appended: true, parts: 3, changedStreams: 8 });
    expect(folded.expected.size).toBe(8);
    expect(folded.last).toMatchObject({ revision: 2, position: 13, streamCount: 8 });
    expect((await verifyIntegrity(log)).ok).toBe(true);
  });

  it('given a checkpoint whose last part never got stored, then it does not count, and the next one lists its streams again', async () => {
    const log = givenLog();
    await checkpointer(log, 2).checkpointNow();
    log.remove((event) => event.streamId === AUDIT_CHECKPOINTS_STREAM && event.revision === 1);

    expect((await foldCheckpoints(log)).last).toBeUndefined();
    const result = await checkpointer(log, 2).checkpointNow();

    expect(result).toMatchObject({ appended: true, changedStreams: 3, parts: 2 });
    expect((await foldCheckpoints(log)).expected.size).toBe(3);
  });

  it('given more streams than one read takes and a stream moving between two reads of the first scan, then the checkpoint has every head as of the last read', async () => {
    const log = givenLog();
    for (let index = 0; index < 7; index += 1) {
      log.appendChained(`ticket-cope.X${String(index)}`, { type: 'WebhookReceived' });
    }
    const source = logHeadSource(log);
    let scans = 0;
    const subject = new IntegrityCheckpointer({
      store: log,
      heads: {
        ...source,
        headsFrom(streamId, limit) {
          scans += 1;
          // After the first page (booking-ltd.B1 first, by id), it moves on.
          if (scans === 2) log.appendChained('booking-ltd.B1', { type: 'WebhookReceived' });
          return source.headsFrom(streamId, limit);
        },
      },
      headsPerRead: 3,
      now: NOW,
    });

    const result = await subject.checkpointNow();

    expect(scans).toBe(4);
    expect(result).toMatchObject({ appended: true, position: 16, changedStreams: 10 });
    const data = parseCheckpoint(log.at(AUDIT_CHECKPOINTS_STREAM, 0));
    expect(data?.heads['booking-ltd.B1']).toEqual({
      revision: 2,
      hash: log.at('booking-ltd.B1', 2).metadata['hash'],
    });
    expect(data?.merkleRoot).toBe(merkleRootOfHeads(log.heads(16).values()));
    expect((await verifyIntegrity(log)).ok).toBe(true);
  });

  it('given more changed streams than one read takes and one moving between two reads, then the next checkpoint has its last head', async () => {
    const log = givenLog();
    const source = logHeadSource(log);
    let reads = 0;
    let moveAt = Number.POSITIVE_INFINITY;
    const subject = new IntegrityCheckpointer({
      store: log,
      heads: {
        ...source,
        headsAfter(position, limit) {
          reads += 1;
          if (reads === moveAt) log.appendChained('ticket-cope.X0', { type: 'TicketCheckedIn' });
          return source.headsAfter(position, limit);
        },
      },
      headsPerRead: 2,
      now: NOW,
    });
    await subject.checkpointNow();
    for (let index = 0; index < 5; index += 1) {
      log.appendChained(`ticket-cope.X${String(index)}`, { type: 'WebhookReceived' });
    }
    moveAt = reads + 2;

    const result = await subject.checkpointNow();

    expect(reads).toBeGreaterThanOrEqual(moveAt + 2);
    expect(result).toMatchObject({ appended: true, changedStreams: 5, streamCount: 8 });
    const data = parseCheckpoint(log.at(AUDIT_CHECKPOINTS_STREAM, 1));
    expect(data?.heads['ticket-cope.X0']).toEqual({
      revision: 1,
      hash: log.at('ticket-cope.X0', 1).metadata['hash'],
    });
    expect(data?.merkleRoot).toBe(merkleRootOfHeads(log.heads().values()));
    expect((await verifyIntegrity(log)).ok).toBe(true);
  });

  it('given a read model that lags, then the checkpoint covers only what it had reached', async () => {
    const log = givenLog();
    const subject = new IntegrityCheckpointer({
      store: log,
      heads: logHeadSource(log, () => 6),
      now: NOW,
    });

    const result = await subject.checkpointNow();

    expect(result).toMatchObject({ appended: true, position: 6, changedStreams: 2 });
    expect((await verifyIntegrity(log)).ok).toBe(true);
  });
});
