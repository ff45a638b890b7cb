// The integrity checkpoint and verification on a real SQLite ledger: events written by
// the ledger writer, heads kept by the audit projection in a real read-model database,
// and tampering done the way anyone with the database file could.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore } from '#event-store';
import { AUDIT_CHECKPOINTS_STREAM, LedgerWriter, type Decider, type LedgerEvent } from '#ledger';
import { ReadModels } from '#read-models';
import { auditProjection } from './audit.projection.js';
import { foldCheckpoints } from './integrity-checkpoint.js';
import { IntegrityCheckpointer, readModelHeadSource } from './integrity-checkpointer.js';
import { verifyIntegrity } from './integrity-verifier.js';

const record: Decider<LedgerEvent[], null> = {
  initialState: null,
  stateless: true,
  evolve: (state) => state,
  decide: (events) => events,
};

function issued(barcode: string): LedgerEvent {
  return {
    type: 'BookingTicketIssued',
    data: {
      bookingReference: 'B',
      barcode,
      seat: `A${barcode}`,
      ticketKey: barcode,
      performanceId: 1,
      status: 'Purchased',
    },
  };
}

describe('integrity checkpoints and verification on SQLite', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  let readModels: ReadModels;
  let checkpointer: IntegrityCheckpointer;
  let writes = 0;

  const write = async (streamId: string, events: LedgerEvent[]) => {
    writes += 1;
    const writer = new LedgerWriter(store);
    await writer.write({
      streamId,
      kind: 'test',
      decider: record,
      decide: () => events,
      eventId: (index) =>
        `00000000-0000-4000-8000-${String(writes * 100 + index).padStart(12, '0')}`,
    });
  };

  const tamper = (sql: string, ...parameters: unknown[]) => {
    const db = new BetterSqlite3(join(dataDir, 'events.sqlite'));
    try {
      db.prepare(sql).run(...parameters);
    } finally {
      db.close();
    }
  };

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-audit-'));
    store = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
    readModels = ReadModels.open({ dataDir, store, projections: [auditProjection] });
    await readModels.runner.start();
    checkpointer = new IntegrityCheckpointer({ store, heads: readModelHeadSource(readModels) });
    for (const booking of [
      'booking-ltd.B1',
      'booking-ltd.B2',
      'booking-ltd.B3',
      'booking-ltd.B4',
    ]) {
      await write(booking, [
        issued(`${booking}-1`),
        issued(`${booking}-2`),
        issued(`${booking}-3`),
      ]);
      await write(booking, [issued(`${booking}-4`)]);
    }
  });

  afterEach(async () => {
    checkpointer.stop();
    await readModels.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given an untampered ledger, when checkpointed from the audit read model, then it verifies ok against the checkpoint', async () => {
    const result = await checkpointer.checkpointNow({ waitMs: 5000 });

    const report = await verifyIntegrity(store);

    expect(result).toMatchObject({
      appended: true,
      position: 16,
      changedStreams: 4,
      streamCount: 4,
    });
    expect(report).toMatchObject({ ok: true, eventsChecked: 17, streamsChecked: 5, problems: [] });
    expect(report.checkpoint).toMatchObject({ position: 16, merkleRoot: result.merkleRoot });
  });

  it('given the ledger tampered after a checkpoint, then each edit, deletion, truncation and removal is reported where it happened', async () => {
    await checkpointer.checkpointNow({ waitMs: 5000 });
    tamper(
      `UPDATE events SET data = json_set(data, '$.seat', 'Z99') WHERE stream_id = ? AND revision = ?`,
      'booking-ltd.B1',
      1,
    );
    tamper('DELETE FROM events WHERE stream_id = ? AND revision = ?', 'booking-ltd.B2', 2);
    tamper('DELETE FROM events WHERE stream_id = ? AND revision >= ?', 'booking-ltd.B3', 2);
    tamper('DELETE FROM events WHERE stream_id = ?', 'booking-ltd.B4');

    const report = await verifyIntegrity(store);

    expect(report.ok).toBe(false);
    expect(
      report.problems.map(({ streamId, revision, kind }) => ({ streamId, revision, kind })),
    ).toEqual([
      { streamId: 'booking-ltd.B1', revision: 1, kind: 'hash_mismatch' },
      { streamId: 'booking-ltd.B2', revision: 2, kind: 'revision_gap' },
      { streamId: 'booking-ltd.B3', revision: 2, kind: 'truncated' },
      { streamId: 'booking-ltd.B4', revision: undefined, kind: 'missing_stream' },
    ]);
  });

  it('given one stream asked for, then only it is read and reported', async () => {
    await checkpointer.checkpointNow({ waitMs: 5000 });
    tamper('DELETE FROM events WHERE stream_id = ? AND revision = 3', 'booking-ltd.B3');
    tamper('DELETE FROM events WHERE stream_id = ?', 'booking-ltd.B4');

    const one = await verifyIntegrity(store, { streamId: 'booking-ltd.B3' });
    const removed = await verifyIntegrity(store, { streamId: 'booking-ltd.B4' });

    expect(one).toMatchObject({ eventsChecked: 3, streamsChecked: 1 });
    expect(one.problems).toEqual([
      expect.objectContaining({ streamId: 'booking-ltd.B3', revision: 3, kind: 'truncated' }),
    ]);
    expect(removed.problems).toEqual([
      expect.objectContaining({ streamId: 'booking-ltd.B4', kind: 'missing_stream' }),
    ]);
  });

  it('given more writes and a rebuild of the audit read model swapped in, then the next checkpoint names only what changed and still verifies', async () => {
    await checkpointer.checkpointNow({ waitMs: 5000 });
    await write('booking-ltd.B2', [issued('late')]);
    await readModels.runner.rebuild('audit');
    const head = await store.headPosition();
    await readModels.runner.waitForPosition(['audit'], head, 5000);
    for (let tries = 0; readModels.runner.builds.current('audit').building; tries += 1) {
      if (tries > 200) throw new Error('the rebuild was not swapped in');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    const result = await checkpointer.checkpointNow({ waitMs: 5000 });

    expect(result).toMatchObject({ appended: true, changedStreams: 1, streamCount: 4 });
    const folded = await foldCheckpoints(store);
    expect(folded.expected.get('booking-ltd.B2')?.revision).toBe(4);
    expect((await verifyIntegrity(store)).ok).toBe(true);
    expect(
      (await store.readStream(AUDIT_CHECKPOINTS_STREAM)).map((event) => event.revision),
    ).toEqual([0, 1]);
  });
});
