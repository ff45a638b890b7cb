// SIGTERM under load against the built server (quality.md, "Operations"): it stops
// accepting at once (503 with Retry-After, so senders deliver again later), finishes the
// requests in flight and their appends, then closes the store and exits 0 — every
// delivery it answered 2xx is stored exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COPE_CHECK_IN_CREATED_EXAMPLE } from '#testing';
import { startBuiltApi, type RunningApi } from '../support/built-api.js';
import { receipts, storedEvents } from '../support/intake-store.js';

const WORKERS = 12;

function checkIn(sequence: number): string {
  const event = structuredClone(COPE_CHECK_IN_CREATED_EXAMPLE) as unknown as Record<
    string,
    unknown
  > & {
    data: Record<string, unknown>;
  };
  event['id'] = `shutdown-${String(sequence)}`;
  event['idempotency_key'] = `shutdown-${String(sequence)}`;
  Object.assign(event.data, {
    check_in_id: `C${String(sequence)}`,
    ticket_id: `T${String(sequence % 5)}`,
  });
  return JSON.stringify(event);
}

type Outcome = { status: number; retryAfter: string | null } | 'no answer';

async function deliver(api: RunningApi, body: string): Promise<Outcome> {
  try {
    const response = await fetch(`${api.url}/webhooks/cope`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body,
    });
    await response.arrayBuffer();
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch {
    return 'no answer'; // the listener is gone
  }
}

/** How often each delivery (by its correlation id, the CloudEvent id) was stored. */
async function storedReceipts(dataDir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const receipt of receipts(await storedEvents(dataDir))) {
    const id = receipt.metadata['correlationId'];
    if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

describe('shutdown: SIGTERM under concurrent load', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-shutdown-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('given deliveries in flight, when sent SIGTERM, then it answers new ones 503 with Retry-After, stores every one it answered 2xx exactly once, and exits 0', async () => {
    const api = await startBuiltApi({ DATA_DIR: dataDir });
    const acknowledged: number[] = [];
    const refused: { status: number; retryAfter: string | null }[] = [];
    let sequence = 0;
    let stopping = false;
    const workers = Array.from({ length: WORKERS }, async () => {
      // Until the listener is gone, or long enough after SIGTERM to have met the gate.
      for (let afterStop = 0; afterStop < 20; afterStop += stopping ? 1 : 0) {
        const number = sequence++;
        const outcome = await deliver(api, checkIn(number));
        if (outcome === 'no answer') return;
        if (outcome.status === 202 || outcome.status === 200) acknowledged.push(number);
        else refused.push(outcome);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    stopping = true;
    const exit = await api.stop('SIGTERM');
    await Promise.all(workers);

    expect(exit.code).toBe(0);
    expect(exit.output).toContain('event store closed');
    expect(acknowledged.length).toBeGreaterThan(10);
    for (const answer of refused) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toMatch(/^[1-9]\d*$/);
    }
    const receipts = await storedReceipts(dataDir);
    for (const number of acknowledged) {
      expect({ number, stored: receipts.get(`shutdown-${String(number)}`) }).toEqual({
        number,
        stored: 1,
      });
    }
  }, 60_000);
});
