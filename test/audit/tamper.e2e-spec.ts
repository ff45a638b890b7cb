// Tampering with the SQLite file (api.md "Audit", quality.md "tamper"): an edited or
// deleted event in the middle of a stream, a truncated stream and a removed stream,
// each reported by GET /audit/verify and by `npm run cli -- verify` with where.
import BetterSqlite3 from 'better-sqlite3';
import { IntegrityCheckpointer } from '#audit';
import { runCli } from '../support/built-cli.js';
import { copeCheckIn, copeTicketDelivery, unique } from '../support/intake-fixtures.js';
import { eventsFile } from '../support/intake-store.js';
import {
  PROVIDER_SECRETS,
  postCope,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

type JsonRecord = Record<string, unknown>;

interface Problem {
  readonly streamId: string;
  readonly revision?: number;
  readonly kind: string;
}

async function verify(api: RunningLedgerApi, query = ''): Promise<JsonRecord> {
  const response = await fetch(`${api.url}/audit/verify${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as JsonRecord;
}

function problemsOf(report: JsonRecord): Problem[] {
  const problems = Array.isArray(report['problems']) ? (report['problems'] as Problem[]) : [];
  return problems.map(({ streamId, revision, kind }) => ({
    streamId,
    kind,
    ...(revision === undefined ? {} : { revision }),
  }));
}

function tamper(dataDir: string, sql: string, ...parameters: unknown[]): number {
  const db = new BetterSqlite3(eventsFile(dataDir));
  try {
    return db.prepare(sql).run(...parameters).changes;
  } finally {
    db.close();
  }
}

describe('tampering with the ledger file', () => {
  let api: RunningLedgerApi;
  let env: Record<string, string>;
  const tickets = {
    edited: unique('edited'),
    deleted: unique('deleted'),
    truncated: unique('truncated'),
    removed: unique('removed'),
    untouched: unique('untouched'),
  };
  const stream = (ticketId: string) => `ticket-cope.${ticketId}`;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
    env = { ...PROVIDER_SECRETS, DATA_DIR: api.dataDir };
    // Each stream: receipt, TicketDeliveryRequested, receipt, TicketCheckedIn (revisions 0–3).
    for (const ticketId of Object.values(tickets)) {
      expect((await postCope(api, JSON.stringify(copeTicketDelivery({ ticketId })))).status).toBe(
        202,
      );
      expect((await postCope(api, JSON.stringify(copeCheckIn({ ticketId })))).status).toBe(202);
    }
    const checkpoint = await api.app.get(IntegrityCheckpointer).checkpointNow({ waitMs: 5000 });
    expect(checkpoint).toMatchObject({ appended: true, position: 20, changedStreams: 5 });
  });

  afterAll(async () => {
    await api.dispose();
  });

  it('given an untampered store after a checkpoint, then the API and the CLI verify it ok (exit 0)', async () => {
    const report = await verify(api);
    const cli = await runCli(['verify'], env);

    expect(report).toMatchObject({ ok: true, eventsChecked: 21, streamsChecked: 6, problems: [] });
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, eventsChecked: 21, problems: [] });
  });

  it('given an event’s data edited in the middle of a stream while the API runs, then hash_mismatch at that revision', async () => {
    const changed = tamper(
      api.dataDir,
      `UPDATE events SET data = json_set(data, '$.recipient', 'mallory@example.com')
       WHERE stream_id = ? AND revision = 1`,
      stream(tickets.edited),
    );
    expect(changed).toBe(1);

    const report = await verify(api, `?streamId=${stream(tickets.edited)}`);

    expect(report['ok']).toBe(false);
    expect(problemsOf(report)).toEqual([
      { streamId: stream(tickets.edited), revision: 1, kind: 'hash_mismatch' },
    ]);
  });

  it('given, after the API stopped, an event deleted in the middle, a stream truncated and a stream removed, then each is reported with where, by the CLI (exit 1) and by the API once restarted', async () => {
    await api.stop();
    tamper(
      api.dataDir,
      'DELETE FROM events WHERE stream_id = ? AND revision = 1',
      stream(tickets.deleted),
    );
    tamper(
      api.dataDir,
      'DELETE FROM events WHERE stream_id = ? AND revision >= 2',
      stream(tickets.truncated),
    );
    tamper(api.dataDir, 'DELETE FROM events WHERE stream_id = ?', stream(tickets.removed));
    const expected = [
      { streamId: stream(tickets.edited), revision: 1, kind: 'hash_mismatch' },
      { streamId: stream(tickets.deleted), revision: 1, kind: 'revision_gap' },
      { streamId: stream(tickets.truncated), revision: 2, kind: 'truncated' },
      { streamId: stream(tickets.removed), kind: 'missing_stream' },
    ];

    const cli = await runCli(['verify'], env);
    api = await api.restart();
    const report = await verify(api);
    const removed = await verify(api, `?streamId=${stream(tickets.removed)}`);
    const untouched = await verify(api, `?streamId=${stream(tickets.untouched)}`);

    expect(cli.code).toBe(1);
    const printed = JSON.parse(cli.stdout) as JsonRecord;
    expect(printed['ok']).toBe(false);
    expect(problemsOf(printed)).toEqual(expect.arrayContaining(expected));
    expect(problemsOf(printed)).toHaveLength(expected.length);
    expect(report['ok']).toBe(false);
    expect(problemsOf(report)).toEqual(expect.arrayContaining(expected));
    expect(problemsOf(report)).toHaveLength(expected.length);
    expect(problemsOf(removed)).toEqual([
      { streamId: stream(tickets.removed), kind: 'missing_stream' },
    ]);
    expect(untouched).toMatchObject({ ok: true, eventsChecked: 4 });
  });
});
