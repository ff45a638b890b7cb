import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import {
  COPE_CHECK_IN_CREATED_EXAMPLE,
  COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE,
  INGRESSE_EXAMPLES,
  LTD_EXAMPLES,
  LTD_TRANSACTION_CHANGED_SEED_TEXT,
} from '#testing';
import { runCli } from '../support/built-cli.js';

describe('npm run cli -- import', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-import-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('given a folder of JSON and NDJSON exports, then every webhook goes through intake and the summary counts each outcome', async () => {
    const exports = join(directory, 'exports');
    mkdirSync(exports);
    writeFileSync(
      join(exports, 'cope.json'),
      JSON.stringify(
        [COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE, COPE_CHECK_IN_CREATED_EXAMPLE],
        null,
        2,
      ),
    );
    writeFileSync(
      join(exports, 'ltd.ndjson'),
      [
        ...Object.values(LTD_EXAMPLES),
        LTD_EXAMPLES.EventChanged,
        { ...LTD_EXAMPLES.EventChanged, MessageType: 'Unknown' },
      ]
        .map((message) => JSON.stringify(message))
        .join('\n'),
    );
    writeFileSync(
      join(exports, 'ingresse.jsonl'),
      INGRESSE_EXAMPLES.map((webhook) => JSON.stringify(webhook)).join('\n'),
    );
    writeFileSync(join(exports, 'broken.json'), LTD_TRANSACTION_CHANGED_SEED_TEXT);
    const dataDir = join(directory, 'data');

    const run = await runCli(['import', exports], { DATA_DIR: dataDir });

    expect(JSON.parse(run.stdout)).toEqual({
      webhooks: 12,
      accepted: 9,
      duplicate: 1,
      parked: 1,
      rejected: 1,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('broken.json#1');
    expect(run.stderr).toMatch(/import \[#+\] 12\/12 100%/);
    const store = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
    const receipts = (await store.readAll({ limit: 1000 })).filter(
      (event) => event.type === 'WebhookReceived',
    );
    await store.close();
    expect(receipts).toHaveLength(10);
    expect(receipts.every((receipt) => receipt.data['signatureVerified'] === false)).toBe(true);
    expect(receipts[0]?.data['headers']).toMatchObject({
      'user-agent': 'ticket-ledger-cli/import',
    });
  });

  it('given the same export imported twice, then the second run only finds duplicates', async () => {
    const file = join(directory, 'ltd.ndjson');
    writeFileSync(
      file,
      Object.values(LTD_EXAMPLES)
        .map((message) => JSON.stringify(message))
        .join('\n'),
    );
    const env = { DATA_DIR: join(directory, 'data') };

    await runCli(['import', file, '--provider', 'ltd'], env);
    const again = await runCli(['import', file, '--provider', 'ltd'], env);

    expect(JSON.parse(again.stdout)).toEqual({
      webhooks: 5,
      accepted: 0,
      duplicate: 5,
      parked: 0,
      rejected: 0,
    });
    expect(again.code).toBe(0);
  });
});

describe('npm run cli -- export', () => {
  it('writes the global log as NDJSON in commit order, to stdout or a file, within positions', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-export-'));
    const file = join(directory, 'ltd.ndjson');
    writeFileSync(
      file,
      Object.values(LTD_EXAMPLES)
        .map((message) => JSON.stringify(message))
        .join('\n'),
    );
    const env = { DATA_DIR: join(directory, 'data') };
    await runCli(['import', file], env);

    const all = await runCli(['export'], env);
    const lines = all.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { position: number; type: string });
    const middle = await runCli(
      ['export', '--from', '2', '--to', '4', '--output', join(directory, 'out.ndjson')],
      env,
    );
    const written = readFileSync(join(directory, 'out.ndjson'), 'utf8').trim().split('\n');

    expect(lines.map((line) => line.position)).toEqual(lines.map((_, index) => index + 1));
    expect(lines[0]?.type).toBe('WebhookReceived');
    expect(middle.code).toBe(0);
    expect(written.map((line) => (JSON.parse(line) as { position: number }).position)).toEqual([
      3, 4,
    ]);
    rmSync(directory, { recursive: true, force: true });
  });
});
