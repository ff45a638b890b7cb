import { randomUUID } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import type { JsonObject, RecordedEvent } from '#event-store';
import type { LedgerEvent } from '#ledger';
import { tableNamer, type Projection, type TableNamer } from '#projections';

export interface ProjectionScenario {
  readonly db: Database;
  readonly table: TableNamer;
  /** Applies more events, one batch per call (positions keep increasing). */
  when(...events: readonly (LedgerEvent | RecordedEvent)[]): ProjectionScenario;
  close(): void;
}

/**
 * Given/when/then for projections: the projection's tables in a fresh in-memory SQLite
 * database, events applied as the runner applies them (in batches, oldest first); then
 * read the outcome with the read model's own queries on `db` and `table`.
 *
 *   const scenario = givenEvents(attendanceProjection, published, checkIn);
 *   expect(new AttendanceQueries(scenario.db, scenario.table).event('E1')).toMatchObject(...)
 */
export function givenEvents(
  projection: Projection,
  ...events: readonly (LedgerEvent | RecordedEvent)[]
): ProjectionScenario {
  const db = new BetterSqlite3(':memory:');
  const table = tableNamer(projection.name, projection.version);
  projection.createTables(db, table);
  const writer = projection.open(db, table);
  let position = 0;
  const scenario: ProjectionScenario = {
    db,
    table,
    when(...batch) {
      const recorded = batch.map((event) => {
        position += 1;
        return 'position' in event ? event : recordedEvent(event, position);
      });
      const relevant = recorded.filter((event) => projection.eventTypes.includes(event.type));
      db.transaction(() => {
        writer.apply(relevant);
      })();
      return scenario;
    },
    close() {
      db.close();
    },
  };
  return events.length > 0 ? scenario.when(...events) : scenario;
}

/** A domain event as the store would hand it to a projection. */
export function recordedEvent(
  event: LedgerEvent,
  position: number,
  streamId = 'test-stream',
): RecordedEvent {
  return {
    id: randomUUID(),
    type: event.type,
    data: event.data as unknown as JsonObject,
    metadata: {},
    streamId,
    revision: position - 1,
    position,
    recordedAt: new Date(0).toISOString(),
  };
}
