import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { LTD_PERFORMANCE_CHANGED_EXAMPLE } from '#testing';
import { runCli } from '../support/built-cli.js';
import { PROVIDER_SECRETS, postLtd, startLedgerApi } from '../support/ledger-api.harness.js';

describe('npm run cli -- reprocess (reprocess-parked)', () => {
  it('given parked deliveries, then it runs each through intake again and records the outcome in the parked log', async () => {
    const api = await startLedgerApi(PROVIDER_SECRETS);
    const broken = { ...LTD_PERFORMANCE_CHANGED_EXAMPLE, Payload: { EventId: 'not a number' } };
    const unknown = { ...LTD_PERFORMANCE_CHANGED_EXAMPLE, MessageType: 'BasketAbandoned' };
    expect((await postLtd(api, JSON.stringify(broken))).status).toBe(422);
    expect((await postLtd(api, JSON.stringify(unknown))).status).toBe(202);
    await api.stop();

    const run = await runCli(['reprocess'], { ...PROVIDER_SECRETS, DATA_DIR: api.dataDir });
    const again = await runCli(['reprocess-parked'], {
      ...PROVIDER_SECRETS,
      DATA_DIR: api.dataDir,
    });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      reprocessed: 2,
      accepted: 0,
      duplicate: 0,
      parked: 2,
      rejected: 0,
    });
    expect(run.stderr).toMatch(/reprocess \[#+\] 2\/2 100%/);
    expect(JSON.parse(again.stdout)).toMatchObject({ reprocessed: 2, parked: 2 });
    const store = SqliteEventStore.open({ file: join(api.dataDir, 'events.sqlite') });
    const parkedLog = await store.readStream('parked-ltd');
    await store.close();
    expect(parkedLog.map((event) => event.type)).toEqual([
      'WebhookReceived',
      'WebhookReceived',
      'ParkedDeliveryReprocessed',
      'ParkedDeliveryReprocessed',
      'ParkedDeliveryReprocessed',
      'ParkedDeliveryReprocessed',
    ]);
    await api.dispose();
  });
});
