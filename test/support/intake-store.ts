// Looks at what the API stored, through connections of the test's own to the API's
// SQLite files (not through the API): the ledger, and the intake's redelivery counters.
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore, type RecordedEvent } from '#event-store';
import type { WebhookReceived } from '#ledger';
import { RedeliveryLog, type Redeliveries } from '#webhook-intake';

const PAGE = 1000;

export function eventsFile(dataDir: string): string {
  return join(dataDir, 'events.sqlite');
}

/** Every event of the global log, read through a store opened on the API's file. */
export async function storedEvents(dataDir: string): Promise<RecordedEvent[]> {
  const store = SqliteEventStore.open({ file: eventsFile(dataDir) });
  try {
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await store.readAll({
        afterPosition: events.at(-1)?.position ?? 0,
        limit: PAGE,
      });
      events.push(...page);
      if (page.length < PAGE) return events;
    }
  } finally {
    await store.close();
  }
}

/** The events of one stream, in order. */
export function inStream(events: readonly RecordedEvent[], streamId: string): RecordedEvent[] {
  return events.filter((event) => event.streamId === streamId);
}

/** The stored event with this id; fails the test when there is none. */
export function eventWithId(events: readonly RecordedEvent[], id: unknown): RecordedEvent {
  const found = events.find((event) => event.id === id);
  if (!found) throw new Error(`no stored event has id ${String(id)}`);
  return found;
}

/** The receipt an event holds; fails the test when it is not a `WebhookReceived`. */
export function receiptOf(event: RecordedEvent): WebhookReceived {
  if (event.type !== 'WebhookReceived') {
    throw new Error(`event ${event.id} is a ${event.type}, not a WebhookReceived`);
  }
  return event.data as unknown as WebhookReceived;
}

/** The receipts (`WebhookReceived` events) among the events. */
export function receipts(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events.filter((event) => event.type === 'WebhookReceived');
}

/** The bytes a receipt kept. */
export function keptBytes(receipt: WebhookReceived): Buffer {
  return Buffer.from(receipt.rawBody, receipt.rawBodyEncoding);
}

/** How often the intake counted a receipt's redeliveries (its own SQLite file). */
export function redeliveriesOf(dataDir: string, receiptId: unknown): Redeliveries {
  const log = RedeliveryLog.open(join(dataDir, 'intake.sqlite'));
  try {
    return log.of(String(receiptId));
  } finally {
    log.close();
  }
}

/**
 * Holds the write lock of the API's event file from another connection, as another
 * process would: the API's appends fail after its busy timeout (50 ms).
 */
export function lockEventStore(dataDir: string): { release(): void } {
  const db = new BetterSqlite3(eventsFile(dataDir));
  db.exec('BEGIN IMMEDIATE');
  return {
    release() {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}
