// Readiness over HTTP against the built server (api.md, "Operations"): /health is 503
// while the store does not answer and 200 again by itself once it does; a failed
// projection makes the service `degraded`, never unready, and intake keeps working.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { startBuiltApi, type RunningApi } from '../support/built-api.js';
import { copeTicketDelivery } from '../support/intake-fixtures.js';
import { eventsFile, lockEventStore } from '../support/intake-store.js';
import { PROVIDER_SECRETS, postCope } from '../support/ledger-api.harness.js';
import { field, items, text, type Json } from '../support/reads.js';

interface Health {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: Json;
}

async function health(api: RunningApi): Promise<Health> {
  const response = await fetch(`${api.url}/health`);
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Json,
  };
}

/** Polls /health until `done` holds, or fails after `timeoutMs` with the last answer. */
async function healthUntil(
  api: RunningApi,
  done: (answer: Health) => boolean,
  timeoutMs = 15_000,
): Promise<Health> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await health(api);
    if (done(answer)) return answer;
    if (Date.now() > deadline) throw new Error(`/health stayed ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function projectionsOf(answer: Health): { name: string; status: string }[] {
  return items(field(answer.body, 'projections')).map((projection) => ({
    name: text(field(projection, 'name')),
    status: text(field(projection, 'status')),
  }));
}

describe('GET /health (readiness) on the built server', () => {
  let dataDir: string;
  let api: RunningApi | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-health-'));
  });

  afterEach(async () => {
    await api?.stop();
    api = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given the store unavailable (its SQLite file locked by another connection), then 503 unavailable with Retry-After and the projections listed; once the lock is released, 200 ok by itself', async () => {
    api = await startBuiltApi({ ...PROVIDER_SECRETS, DATA_DIR: dataDir });
    await healthUntil(api, (answer) => field(answer.body, 'status') === 'ok');

    const lock = lockEventStore(dataDir);
    let down: Health;
    try {
      down = await health(api);
    } finally {
      lock.release();
    }

    expect(down.status).toBe(503);
    expect(down.retryAfter).toMatch(/^[1-9]\d*$/);
    expect(down.body).toMatchObject({
      status: 'unavailable',
      store: { status: 'down', store: 'sqlite' },
    });
    expect(projectionsOf(down).map((projection) => projection.name)).toEqual(
      expect.arrayContaining(['tickets', 'attendance', 'delivery', 'inventory']),
    );
    const up = await healthUntil(api, (answer) => answer.status === 200, 5_000);
    expect(up.body).toMatchObject({ status: 'ok', store: { status: 'up', store: 'sqlite' } });
    expect(up.retryAfter).toBeNull();
  }, 30_000);

  it('given a projection that cannot apply an event in the log, then 200 degraded listing it failed, the others live, and a webhook is still accepted (202)', async () => {
    // Written before the server starts, as no webhook could write it: a publication
    // whose event id is an object, which the attendance read model cannot store.
    const store = SqliteEventStore.open({ file: eventsFile(dataDir) });
    try {
      await store.appendToStream(
        'health-e2e-poison',
        [
          {
            id: '00000000-0000-4000-8000-00000000beef',
            type: 'CopeEventPublished',
            data: { eventId: { not: 'a string' } },
            metadata: {},
          },
        ],
        { expectedRevision: 'no_stream' },
      );
    } finally {
      await store.close();
    }
    api = await startBuiltApi({ ...PROVIDER_SECRETS, DATA_DIR: dataDir });

    // Settled: every projection either live or failed (none still catching up).
    const degraded = await healthUntil(api, (answer) => {
      const statuses = projectionsOf(answer).map((projection) => projection.status);
      return (
        statuses.includes('failed') &&
        statuses.every((status) => status === 'live' || status === 'failed')
      );
    });
    const intake = await postCope(api, JSON.stringify(copeTicketDelivery()));

    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({ status: 'degraded', store: { status: 'up' } });
    const projections = projectionsOf(degraded);
    // Attendance and inventory read publications; the others never see the event.
    expect(projections).toEqual(
      expect.arrayContaining([
        { name: 'attendance', status: 'failed' },
        { name: 'inventory', status: 'failed' },
        { name: 'tickets', status: 'live' },
        { name: 'delivery', status: 'live' },
        { name: 'audit', status: 'live' },
      ]),
    );
    expect(intake.status).toBe(202);
    expect((await health(api)).status).toBe(200);
  }, 30_000);
});
