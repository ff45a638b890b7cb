import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventToAppend } from '#event-store';

export interface AppendThroughput {
  readonly mode: string;
  readonly appends: number;
  readonly events: number;
  readonly seconds: number;
  readonly appendsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly meanAppendsPerCommit: number;
}

/** A delivery-sized append: a receipt with a ~1 KB raw body and one domain event. */
function deliveryAppend(sequence: number): EventToAppend[] {
  const rawBody = JSON.stringify({ sequence, padding: 'x'.repeat(900) });
  return [
    { id: randomUUID(), type: 'WebhookReceived', data: { rawBody }, metadata: {} },
    { id: randomUUID(), type: 'TicketIssued', data: { sequence }, metadata: {} },
  ];
}

/**
 * `writers` concurrent callers each append to their own fresh streams, as concurrent
 * HTTP deliveries do, until `appends` appends are committed.
 */
export async function measureAppends(
  groupCommit: boolean,
  appends: number,
  writers: number,
): Promise<AppendThroughput> {
  const directory = mkdtempSync(join(tmpdir(), 'ticket-ledger-bench-'));
  const store = SqliteEventStore.open({ file: join(directory, 'events.sqlite'), groupCommit });
  let commits = 0;
  store.onCommit(() => (commits += 1));
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < appends) {
        const sequence = next++;
        await store.appendToStream(`ticket-bench.${sequence}`, deliveryAppend(sequence), {
          expectedRevision: 'no_stream',
        });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await store.close();
  rmSync(directory, { recursive: true, force: true });
  return {
    mode: groupCommit ? 'group commit' : 'one transaction per append',
    appends,
    events: appends * 2,
    seconds,
    appendsPerSecond: appends / seconds,
    eventsPerSecond: (appends * 2) / seconds,
    meanAppendsPerCommit: appends / commits,
  };
}
