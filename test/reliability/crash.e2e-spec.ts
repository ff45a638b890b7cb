import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { COPE_CHECK_IN_CREATED_EXAMPLE } from '#testing';
import { startBuiltApi, type RunningApi } from '../support/built-api.js';

const ROUNDS = 3;
const WORKERS = 16;

/** A unique COPE check-in (one ticket per 7 deliveries, so streams are shared). */
function checkIn(sequence: number): string {
  const event = JSON.parse(JSON.stringify(COPE_CHECK_IN_CREATED_EXAMPLE)) as Record<
    string,
    unknown
  > & {
    data: Record<string, unknown>;
  };
  event['id'] = `crash-${String(sequence)}`;
  event['idempotency_key'] = `crash-${String(sequence)}`;
  Object.assign(event.data, {
    check_in_id: `C${String(sequence)}`,
    ticket_id: `T${String(sequence % 7)}`,
    event_id: 'E-crash',
  });
  return JSON.stringify(event);
}

async function deliver(api: RunningApi, body: string): Promise<number | 'failed'> {
  try {
    const response = await fetch(`${api.url}/webhooks/cope`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'failed';
  }
}

async function json(url: string): Promise<unknown> {
  const response = await fetch(url);
  return response.json();
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('crash: SIGKILL under concurrent load', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-crash-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`given ${String(ROUNDS)} kills at random moments, then every delivery answered 2xx is stored exactly once, and the read models equal a fresh rebuild`, async () => {
    const acknowledged = new Set<number>();
    const attempted = new Set<number>();
    let sequence = 0;

    for (let round = 0; round < ROUNDS; round += 1) {
      const api = await startBuiltApi({ DATA_DIR: dataDir });
      let killed = false;
      const workers = Array.from({ length: WORKERS }, async () => {
        while (!killed) {
          // One delivery in ten is a redelivery of an earlier one.
          const redelivery = sequence > 10 && Math.random() < 0.1;
          const number = redelivery ? Math.floor(Math.random() * sequence) : sequence++;
          attempted.add(number);
          const status = await deliver(api, checkIn(number));
          if (status === 200 || status === 202) acknowledged.add(number);
          else if (status !== 'failed') throw new Error(`unexpected status ${String(status)}`);
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700));
      killed = true;
      await api.stop('SIGKILL');
      await Promise.all(workers);
    }

    const api = await startBuiltApi({ DATA_DIR: dataDir });
    try {
      const store = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
      const receipts = new Map<string, number>();
      for (let after = 0; ;) {
        const page = await store.readAll({ afterPosition: after, limit: 1000 });
        for (const event of page) {
          if (event.type !== 'WebhookReceived') continue;
          const id = event.metadata['correlationId'] as string;
          receipts.set(id, (receipts.get(id) ?? 0) + 1);
        }
        const last = page[page.length - 1];
        if (!last) break;
        after = last.position;
      }
      await store.close();
      expect(acknowledged.size).toBeGreaterThan(20);
      for (const number of acknowledged) {
        expect({ delivery: number, stored: receipts.get(`crash-${String(number)}`) }).toEqual({
          delivery: number,
          stored: 1,
        });
      }
      expect([...receipts.values()].every((count) => count === 1)).toBe(true);
      expect(receipts.size).toBeLessThanOrEqual(attempted.size);

      await until(async () => {
        const states = (await json(`${api.url}/projections`)) as { lag: number }[];
        return states.every((state) => state.lag === 0);
      });
      const before = await json(`${api.url}/attendance/cope/E-crash`);
      const tickets = await Promise.all(
        Array.from({ length: 7 }, (_, ticket) => json(`${api.url}/tickets/T${String(ticket)}`)),
      );
      for (const name of ['tickets', 'attendance']) {
        await fetch(`${api.url}/projections/${name}/rebuild`, { method: 'POST' });
      }
      await until(async () => {
        const states = (await json(`${api.url}/projections`)) as {
          name: string;
          status: string;
          rebuild?: { finishedAt: string | null };
        }[];
        return states
          .filter((state) => ['tickets', 'attendance'].includes(state.name))
          .every((state) => state.status === 'live' && state.rebuild?.finishedAt != null);
      });
      const without = (answer: unknown) => ({ ...(answer as object), asOfPosition: 0 });
      expect(without(await json(`${api.url}/attendance/cope/E-crash`))).toEqual(without(before));
      const rebuiltTickets = await Promise.all(
        Array.from({ length: 7 }, (_, ticket) => json(`${api.url}/tickets/T${String(ticket)}`)),
      );
      expect(rebuiltTickets.map(without)).toEqual(tickets.map(without));
      expect((before as { checkIns: number }).checkIns).toBe(receipts.size);
    } finally {
      await api.stop();
    }
  }, 90_000);
});
