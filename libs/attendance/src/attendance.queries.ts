import type { Database, Statement } from 'better-sqlite3';
import {
  discrepancyFromRow,
  oldestFirst,
  type Discrepancy,
  type DiscrepancyFilter,
  type DiscrepancyPage,
  type DiscrepancyRow,
  type TableNamer,
} from '#projections';

export const ATTENDANCE_DISCREPANCY_TYPES = [
  'unknown_ticket',
  'cancelled_ticket',
  'wrong_event',
  'duplicate_scan',
  'conflicting_check_in',
  'over_capacity',
] as const;

export type AttendanceDiscrepancyType = (typeof ATTENDANCE_DISCREPANCY_TYPES)[number];

/** How many discrepancies `event()` lists; the rest through `discrepancies()`. */
export const EVENT_DISCREPANCY_LIMIT = 100;

/** `GET /attendance/cope/{eventId}`: null where nothing is known yet. */
export interface AttendanceAnswer {
  readonly eventId: string;
  readonly title: string | null;
  readonly capacity: number | null;
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly checkIns: number;
  readonly checkedInTickets: number;
  readonly duplicateScans: number;
  readonly expectedTickets: number;
  readonly noShows: number;
  readonly unknownTickets: number;
  readonly cancelledTickets: number;
  readonly wrongEventTickets: number;
  readonly overCapacity: boolean;
  /** Check-ins per gate (`unknown` for a check-in without one), gates sorted. */
  readonly byGate: Record<string, number>;
  /** Every attendance discrepancy type, zero included. */
  readonly discrepancyCounts: Record<AttendanceDiscrepancyType, number>;
  /** The first {@link EVENT_DISCREPANCY_LIMIT}, oldest first (by `since`, then id). */
  readonly discrepancies: Discrepancy[];
}

interface EventRow {
  event_id: string;
  title: string | null;
  capacity: number | null;
  starts_at: string | null;
  ends_at: string | null;
  check_ins: number;
  checked_in_tickets: number;
  duplicate_scans: number;
  expected_tickets: number;
  expected_checked_in: number;
  unknown_tickets: number;
  cancelled_tickets: number;
  wrong_event_tickets: number;
  duplicate_scan_codes: number;
  conflicting_codes: number;
  over_capacity: number;
}

/** Reads the attendance read model: precomputed rows only, never an aggregate on request. */
export class AttendanceQueries {
  private readonly eventRow: Statement;
  private readonly gates: Statement;
  private readonly eventDiscrepancies: Statement;
  private readonly pages: Record<'all' | 'type' | 'event' | 'typeAndEvent', Statement>;

  constructor(db: Database, table: TableNamer) {
    const discrepancies = table('discrepancies');
    this.eventRow = db.prepare(`SELECT * FROM ${table('events')} WHERE event_id = ?`);
    this.gates = db.prepare(
      `SELECT gate, check_ins FROM ${table('gates')} WHERE event_id = ? ORDER BY gate`,
    );
    this.eventDiscrepancies = db.prepare(`SELECT * FROM ${discrepancies}
      WHERE event_id = ? ORDER BY ${oldestFirst(db, discrepancies)} LIMIT ${String(EVENT_DISCREPANCY_LIMIT)}`);
    const page = (where: string) =>
      db.prepare(
        `SELECT * FROM ${discrepancies} WHERE ${where} id > @after ORDER BY id LIMIT @limit`,
      );
    this.pages = {
      all: page(''),
      type: page('type = @type AND'),
      event: page('event_id = @eventId AND'),
      typeAndEvent: page('event_id = @eventId AND type = @type AND'),
    };
  }

  /** The event's attendance, or undefined (404) when no accepted fact mentions it. */
  event(eventId: string): AttendanceAnswer | undefined {
    const row = this.eventRow.get(eventId) as EventRow | undefined;
    if (!row) return undefined;
    const byGate: Record<string, number> = {};
    for (const gate of this.gates.all(eventId) as { gate: string; check_ins: number }[]) {
      byGate[gate.gate] = gate.check_ins;
    }
    return {
      eventId: row.event_id,
      title: row.title,
      capacity: row.capacity,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      checkIns: row.check_ins,
      checkedInTickets: row.checked_in_tickets,
      duplicateScans: row.duplicate_scans,
      expectedTickets: row.expected_tickets,
      noShows: row.expected_tickets - row.expected_checked_in,
      unknownTickets: row.unknown_tickets,
      cancelledTickets: row.cancelled_tickets,
      wrongEventTickets: row.wrong_event_tickets,
      overCapacity: row.over_capacity === 1,
      byGate,
      discrepancyCounts: {
        unknown_ticket: row.unknown_tickets,
        cancelled_ticket: row.cancelled_tickets,
        wrong_event: row.wrong_event_tickets,
        duplicate_scan: row.duplicate_scan_codes,
        conflicting_check_in: row.conflicting_codes,
        over_capacity: row.over_capacity,
      },
      discrepancies: (this.eventDiscrepancies.all(eventId) as DiscrepancyRow[]).map(
        discrepancyFromRow,
      ),
    };
  }

  /** Open attendance discrepancies, in id order, paged by cursor (the last id of a page). */
  discrepancies(filter: DiscrepancyFilter): DiscrepancyPage {
    if (filter.provider !== undefined && filter.provider !== 'cope')
      return { items: [], next: null };
    const statement =
      filter.type === undefined
        ? filter.eventId === undefined
          ? this.pages.all
          : this.pages.event
        : filter.eventId === undefined
          ? this.pages.type
          : this.pages.typeAndEvent;
    const rows = statement.all({
      after: filter.after ?? '',
      limit: filter.limit,
      ...(filter.type === undefined ? {} : { type: filter.type }),
      ...(filter.eventId === undefined ? {} : { eventId: filter.eventId }),
    }) as DiscrepancyRow[];
    const last = rows[rows.length - 1];
    return {
      items: rows.map(discrepancyFromRow),
      next: last !== undefined && rows.length === filter.limit ? last.id : null,
    };
  }
}
