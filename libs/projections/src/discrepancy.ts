import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { normaliseSenderTime, type Provider } from '#ledger';

/** Where the senders disagree, or a fact contradicts another (reconciliation.md). */
export interface Discrepancy {
  /** Stable: a hash of the type and the keys, so the same discrepancy keeps its id. */
  readonly id: string;
  readonly type: string;
  /** The provider of the record it concerns (for a check-in: `cope`). */
  readonly provider: Provider;
  readonly eventId?: string;
  readonly performanceId?: number;
  readonly bookingReference?: string;
  readonly ticketId?: string;
  readonly detail: string;
  /** The sender's time of the fact that opened it. */
  readonly since: string;
  /** The check-ins behind a check-in discrepancy. */
  readonly checkInIds?: readonly string[];
}

/** A page of `/discrepancies`, filtered; every read model that finds discrepancies answers it. */
export interface DiscrepancyFilter {
  readonly type?: string;
  readonly provider?: Provider;
  readonly eventId?: string;
  /** The `next` cursor of the previous page (the last id it held). */
  readonly after?: string;
  readonly limit: number;
}

export interface DiscrepancyPage {
  /** Ordered by id. */
  readonly items: readonly Discrepancy[];
  /** The cursor of the next page (the last id), null on the last page. */
  readonly next: string | null;
}

export function discrepancyId(type: string, ...keys: readonly (string | number)[]): string {
  return createHash('sha256')
    .update([type, ...keys.map(String)].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

/**
 * Every read model that finds discrepancies keeps them in a table of this shape, so
 * that `/discrepancies` can list all of them, merged by id, without aggregating.
 */
export function createDiscrepancyTable(db: Database, name: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${name} (
    id                TEXT PRIMARY KEY,
    type              TEXT NOT NULL,
    provider          TEXT NOT NULL,
    event_id          TEXT,
    performance_id    INTEGER,
    booking_reference TEXT,
    ticket_id         TEXT,
    detail            TEXT NOT NULL,
    since             TEXT NOT NULL,
    since_key         TEXT NOT NULL,
    check_in_ids      TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS ${name}_by_event ON ${name} (event_id, id);
  CREATE INDEX IF NOT EXISTS ${name}_by_type ON ${name} (type, id);`);
}

/**
 * `ORDER BY` for a discrepancy table's lists, oldest first by the sender's time. Tables
 * built before `since_key` existed have none; while a new build replaces such a table,
 * reads of the live one still answer, ordered by the sender's text as they were.
 */
export function oldestFirst(db: Database, name: string): string {
  const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name);
  return columns.includes('since_key') ? 'since_key, id' : 'since, id';
}

/** Writes and removes discrepancies of one table (prepared once). */
export class DiscrepancyTable {
  private readonly upsert: Statement;
  private readonly remove: Statement;

  constructor(
    db: Database,
    readonly name: string,
  ) {
    this.upsert = db.prepare(`INSERT INTO ${name}
      (id, type, provider, event_id, performance_id, booking_reference, ticket_id, detail, since, since_key, check_in_ids)
      VALUES (@id, @type, @provider, @eventId, @performanceId, @bookingReference, @ticketId, @detail, @since, @sinceKey, @checkInIds)
      ON CONFLICT (id) DO UPDATE SET type = excluded.type, provider = excluded.provider,
        event_id = excluded.event_id, performance_id = excluded.performance_id,
        booking_reference = excluded.booking_reference, ticket_id = excluded.ticket_id,
        detail = excluded.detail, since = excluded.since, since_key = excluded.since_key,
        check_in_ids = excluded.check_in_ids`);
    this.remove = db.prepare(`DELETE FROM ${name} WHERE id = ?`);
  }

  /** Opens or refreshes a discrepancy. */
  open(discrepancy: Discrepancy): void {
    this.upsert.run({
      id: discrepancy.id,
      type: discrepancy.type,
      provider: discrepancy.provider,
      eventId: discrepancy.eventId ?? null,
      performanceId: discrepancy.performanceId ?? null,
      bookingReference: discrepancy.bookingReference ?? null,
      ticketId: discrepancy.ticketId ?? null,
      detail: discrepancy.detail,
      since: discrepancy.since,
      sinceKey: normaliseSenderTime(discrepancy.since),
      checkInIds: discrepancy.checkInIds ? JSON.stringify(discrepancy.checkInIds) : null,
    });
  }

  /** Closes a discrepancy that stopped being true (no-op when it was not open). */
  close(id: string): void {
    this.remove.run(id);
  }

  /**
   * Writes by difference: `wanted` is what a recomputed key should have open, `open`
   * the rows it has; only changed rows are written, and the rest are closed.
   */
  reconcile(open: readonly DiscrepancyRow[], wanted: readonly Discrepancy[]): void {
    const openById = new Map(open.map((row) => [row.id, row]));
    for (const discrepancy of wanted) {
      const row = openById.get(discrepancy.id);
      if (!row || !sameDiscrepancy(row, discrepancy)) this.open(discrepancy);
      openById.delete(discrepancy.id);
    }
    for (const id of openById.keys()) this.close(id);
  }
}

function sameDiscrepancy(row: DiscrepancyRow, wanted: Discrepancy): boolean {
  return (
    row.type === wanted.type &&
    row.provider === wanted.provider &&
    row.event_id === (wanted.eventId ?? null) &&
    row.performance_id === (wanted.performanceId ?? null) &&
    row.booking_reference === (wanted.bookingReference ?? null) &&
    row.ticket_id === (wanted.ticketId ?? null) &&
    row.detail === wanted.detail &&
    row.since === wanted.since &&
    row.check_in_ids === (wanted.checkInIds ? JSON.stringify(wanted.checkInIds) : null)
  );
}

interface DiscrepancyRow {
  id: string;
  type: string;
  provider: Provider;
  event_id: string | null;
  performance_id: number | null;
  booking_reference: string | null;
  ticket_id: string | null;
  detail: string;
  since: string;
  check_in_ids: string | null;
}

export function discrepancyFromRow(row: DiscrepancyRow): Discrepancy {
  return {
    id: row.id,
    type: row.type,
    provider: row.provider,
    ...(row.event_id === null ? {} : { eventId: row.event_id }),
    ...(row.performance_id === null ? {} : { performanceId: row.performance_id }),
    ...(row.booking_reference === null ? {} : { bookingReference: row.booking_reference }),
    ...(row.ticket_id === null ? {} : { ticketId: row.ticket_id }),
    detail: row.detail,
    since: row.since,
    ...(row.check_in_ids === null ? {} : { checkInIds: JSON.parse(row.check_in_ids) as string[] }),
  };
}

export type { DiscrepancyRow };

/**
 * `GET /discrepancies` over one discrepancy table: open ones ordered by id, filtered,
 * paged by cursor (`id > after`), one prepared statement per filter shape.
 */
export class DiscrepancyPages {
  private readonly statements = new Map<string, Statement<unknown[], DiscrepancyRow>>();

  constructor(
    private readonly db: Database,
    private readonly table: string,
  ) {}

  page(filter: DiscrepancyFilter): DiscrepancyPage {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (condition: string, value: string | undefined) => {
      if (value === undefined) return;
      conditions.push(condition);
      parameters.push(value);
    };
    add('type = ?', filter.type);
    add('provider = ?', filter.provider);
    add('event_id = ?', filter.eventId);
    add('id > ?', filter.after);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    let statement = this.statements.get(where);
    if (statement === undefined) {
      statement = this.db.prepare<unknown[], DiscrepancyRow>(
        `SELECT * FROM ${this.table} ${where} ORDER BY id LIMIT ?`,
      );
      this.statements.set(where, statement);
    }
    const items = statement.all(...parameters, filter.limit).map(discrepancyFromRow);
    const last = items[items.length - 1];
    return { items, next: items.length === filter.limit && last !== undefined ? last.id : null };
  }
}
