import { COPE_CHECK_IN_CREATED_EXAMPLE } from '#testing';
import { runCli } from '../support/built-cli.js';
import { PROVIDER_SECRETS, postCope, startLedgerApi } from '../support/ledger-api.harness.js';

function checkIn(index: number): string {
  const event = JSON.parse(JSON.stringify(COPE_CHECK_IN_CREATED_EXAMPLE)) as Record<
    string,
    unknown
  > & {
    data: Record<string, unknown>;
  };
  event['id'] = `check-in-${String(index)}`;
  event['idempotency_key'] = `check-in-${String(index)}`;
  Object.assign(event.data, {
    check_in_id: `C${String(index)}`,
    ticket_id: `T${String(index)}`,
    event_id: 'E-rebuild',
  });
  return JSON.stringify(event);
}

describe('npm run cli -- rebuild / status, beside the running API', () => {
  it('rebuilds a projection while the API serves it, and the API takes the new build over', async () => {
    const api = await startLedgerApi(PROVIDER_SECRETS);
    const env = { ...PROVIDER_SECRETS, DATA_DIR: api.dataDir };
    for (let index = 0; index < 30; index += 1) await postCope(api, checkIn(index));
    const before = (await (
      await fetch(`${api.url}/attendance/cope/E-rebuild?minPosition=60`)
    ).json()) as Record<string, unknown>;

    const rebuild = await runCli(['rebuild', 'attendance'], env);
    const after = await postCope(api, checkIn(30));
    const read = await fetch(
      `${api.url}/attendance/cope/E-rebuild?minPosition=${String(after.body['position'])}`,
    );
    const projection = (await (await fetch(`${api.url}/projections/attendance`)).json()) as Record<
      string,
      unknown
    >;
    const status = await runCli(['status'], env);
    await api.dispose();

    expect(rebuild.code).toBe(0);
    expect(rebuild.stderr).toMatch(/rebuild attendance \[#+\]/);
    expect(JSON.parse(rebuild.stdout)).toEqual([
      expect.objectContaining({
        name: 'attendance',
        percent: 100,
        finishedAt: expect.any(String) as unknown,
      }),
    ]);
    expect(before['checkIns']).toBe(30);
    expect(read.status).toBe(200);
    expect(((await read.json()) as Record<string, unknown>)['checkIns']).toBe(31);
    expect(projection).toMatchObject({
      name: 'attendance',
      status: 'live',
      rebuild: { percent: 100 },
    });
    expect(JSON.parse(status.stdout)).toMatchObject({
      headPosition: 62,
      projections: expect.arrayContaining([
        expect.objectContaining({ name: 'attendance', checkpoint: 62 }),
      ]) as unknown,
    });
  });

  it('refuses an unknown projection', async () => {
    const api = await startLedgerApi(PROVIDER_SECRETS);
    await api.stop();

    const run = await runCli(['rebuild', 'nonsense'], { DATA_DIR: api.dataDir });

    expect(run.code).toBe(64);
    expect(run.stderr).toContain('unknown projection nonsense');
    await api.dispose();
  });
});
