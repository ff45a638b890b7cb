import { join } from 'node:path';
import { EsdbEventStore } from './esdb/esdb-event-store.js';
import type { EventStore } from './event-store.port.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

export interface EventStoreLocation {
  /** Where the embedded store's file lives (`DATA_DIR`). */
  readonly dataDir: string;
  /** `esdb://…`: when set, EventStoreDB is the store and `dataDir` holds no events. */
  readonly eventStoreConnectionString: string | undefined;
}

/**
 * Opens the store the configuration names: EventStoreDB when connected, else SQLite —
 * committing in a worker thread when given its script (the API), else on this thread.
 */
export function openEventStore(
  location: EventStoreLocation,
  options: { readonly appendWorker?: string | URL } = {},
): EventStore {
  if (location.eventStoreConnectionString) {
    return EsdbEventStore.connect(location.eventStoreConnectionString);
  }
  return SqliteEventStore.open({
    file: join(location.dataDir, 'events.sqlite'),
    ...(options.appendWorker ? { appendWorker: options.appendWorker } : {}),
  });
}
