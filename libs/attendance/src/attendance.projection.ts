import type { Database, Statement } from 'better-sqlite3';
import type { RecordedEvent } from '#event-store';
import type { CopeEventPublished } from '#ledger';
import {
  createDiscrepancyTable,
  discrepancyId,
  DiscrepancyTable,
  keyChunks,
  rowsByKey,
  type Projection,
  type ProjectionWriter,
  type TableNamer,
} from '#projections';
import {
  checkInDiscrepancyId,
  createTicketFactTables,
  pairContribution,
  pairDiscrepancies,
  TICKET_FACT_EVENT_TYPES,
  TicketFactChanges,
  TicketFactStore,
  type CheckInCategory,
  type CheckInDiscrepancyType,
  type PairContribution,
  type TicketCodeState,
} from '#tickets';

/**
 * Attendance per COPE event (reconciliation.md, "Attendance"). Queries read one summary
 * row per event, so counters are kept incrementally: a batch records its facts, then
 * re-derives the contribution of every (event, code) pair it touched from the base facts
 * and applies the difference with the stored contribution to the event's counters and
 * discrepancies. The outcome depends on the set of facts, never on their order, and a
 * batch costs what it touched, never the history.
 */
export const attendanceProjection: Projection = {
  name: 'attendance',
  // v2: discrepancies keep `since_key`, the sender's time normalised, and are listed oldest
  // first by it; an LTD seat's cancellation or reinstatement updates its performance.
  version: 2,
  eventTypes: [...TICKET_FACT_EVENT_TYPES, 'CopeEventPublished'],

  createTables(db, table) {
    createTicketFactTables(db, table);
    const discrepancies = table('discrepancies');
    createDiscrepancyTable(db, discrepancies);
    db.exec(`
      CREATE INDEX IF NOT EXISTS ${discrepancies}_by_event_since
        ON ${discrepancies} (event_id, since_key, id);
      CREATE INDEX IF NOT EXISTS ${discrepancies}_by_event_type
        ON ${discrepancies} (event_id, type, id);
      CREATE TABLE IF NOT EXISTS ${table('events')} (
        event_id             TEXT    NOT NULL PRIMARY KEY,
        title                TEXT,
        capacity             INTEGER,
        starts_at            TEXT,
        ends_at              TEXT,
        published_key        TEXT,
        published_hash       TEXT,
        published_at         TEXT,
        check_ins            INTEGER NOT NULL DEFAULT 0,
        checked_in_tickets   INTEGER NOT NULL DEFAULT 0,
        duplicate_scans      INTEGER NOT NULL DEFAULT 0,
        expected_tickets     INTEGER NOT NULL DEFAULT 0,
        expected_checked_in  INTEGER NOT NULL DEFAULT 0,
        unknown_tickets      INTEGER NOT NULL DEFAULT 0,
        cancelled_tickets    INTEGER NOT NULL DEFAULT 0,
        wrong_event_tickets  INTEGER NOT NULL DEFAULT 0,
        duplicate_scan_codes INTEGER NOT NULL DEFAULT 0,
        conflicting_codes    INTEGER NOT NULL DEFAULT 0,
        over_capacity        INTEGER NOT NULL DEFAULT 0,
        over_kth_key         TEXT,
        over_since           TEXT
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS ${table('pairs')} (
        event_id        TEXT    NOT NULL,
        code            TEXT    NOT NULL,
        check_ins       INTEGER NOT NULL,
        category        TEXT,
        duplicate_scans INTEGER NOT NULL,
        expected        INTEGER NOT NULL,
        conflicted      INTEGER NOT NULL,
        first_key       TEXT,
        first_at        TEXT,
        PRIMARY KEY (code, event_id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ${table('pairs')}_by_first
        ON ${table('pairs')} (event_id, first_key, code) WHERE check_ins > 0;
      CREATE TABLE IF NOT EXISTS ${table('gates')} (
        event_id  TEXT    NOT NULL,
        gate      TEXT    NOT NULL,
        check_ins INTEGER NOT NULL,
        PRIMARY KEY (event_id, gate)
      ) WITHOUT ROWID;`);
  },

  open(db, table) {
    return new AttendanceWriter(db, table);
  },
};

/** A check-in without a gate is counted under this one. */
export const UNKNOWN_GATE = 'unknown';

export function overCapacityDiscrepancyId(eventId: string): string {
  return discrepancyId('over_capacity', eventId);
}

interface PairRow {
  key_index: number;
  event_id: string;
  code: string;
  check_ins: number;
  category: CheckInCategory | null;
  duplicate_scans: number;
  expected: number;
  conflicted: number;
  first_key: string | null;
  first_at: string | null;
}

interface CapacityRow {
  capacity: number | null;
  checked_in_tickets: number;
  published_key: string | null;
  published_at: string | null;
  over_capacity: number;
  over_kth_key: string | null;
  over_since: string | null;
}

/** The change a batch makes to one event's counters. */
interface EventDelta {
  checkIns: number;
  checkedInTickets: number;
  duplicateScans: number;
  expectedTickets: number;
  expectedCheckedIn: number;
  unknownTickets: number;
  cancelledTickets: number;
  wrongEventTickets: number;
  duplicateScanCodes: number;
  conflictingCodes: number;
  /** The earliest first check-in among the codes that got in or out: decides whether the over-capacity tipping point moved. */
  minKey: string | undefined;
}

const NO_PAIR: PairContribution = {
  checkIns: 0,
  category: null,
  duplicateScans: 0,
  expected: false,
  conflicted: 0,
  firstKey: null,
  firstAt: null,
};

class AttendanceWriter implements ProjectionWriter {
  private readonly facts: TicketFactStore;
  private readonly discrepancies: DiscrepancyTable;
  private readonly mentionEvent: Statement;
  private readonly publish: Statement;
  private readonly addGate: Statement;
  private readonly dropEmptyGate: Statement;
  private readonly pairsOfCode: Statement;
  private readonly upsertPair: Statement;
  private readonly deletePair: Statement;
  private readonly addCounters: Statement;
  private readonly capacityRow: Statement;
  private readonly kthFirstCheckIn: Statement;
  private readonly setOverCapacity: Statement;

  constructor(db: Database, table: TableNamer) {
    const events = table('events');
    const pairs = table('pairs');
    const gates = table('gates');
    this.facts = new TicketFactStore(db, table);
    this.discrepancies = new DiscrepancyTable(db, table('discrepancies'));
    this.mentionEvent = db.prepare(`INSERT OR IGNORE INTO ${events} (event_id) VALUES (?)`);
    // The newest publication by the sender's clock, then hash (the greater is newer).
    this.publish = db.prepare(`INSERT INTO ${events}
        (event_id, title, capacity, starts_at, ends_at, published_key, published_hash, published_at)
        VALUES (@eventId, @title, @capacity, @startsAt, @endsAt, @senderTime, @hash, @occurredAt)
      ON CONFLICT (event_id) DO UPDATE SET title = excluded.title, capacity = excluded.capacity,
        starts_at = excluded.starts_at, ends_at = excluded.ends_at,
        published_key = excluded.published_key, published_hash = excluded.published_hash,
        published_at = excluded.published_at
      WHERE published_key IS NULL
        OR (excluded.published_key, excluded.published_hash) > (published_key, published_hash)`);
    this.addGate = db.prepare(`INSERT INTO ${gates} (event_id, gate, check_ins) VALUES (?, ?, ?)
      ON CONFLICT (event_id, gate) DO UPDATE SET check_ins = check_ins + excluded.check_ins`);
    this.dropEmptyGate = db.prepare(
      `DELETE FROM ${gates} WHERE event_id = ? AND gate = ? AND check_ins = 0`,
    );
    // A batch's codes as one JSON array (see rowsByKey).
    this.pairsOfCode = db.prepare(`SELECT k.key AS key_index, p.*
      FROM json_each(?) AS k CROSS JOIN ${pairs} AS p ON p.code = k.value`);
    this.upsertPair = db.prepare(`INSERT INTO ${pairs}
        (event_id, code, check_ins, category, duplicate_scans, expected, conflicted, first_key, first_at)
        VALUES (@eventId, @code, @checkIns, @category, @duplicateScans, @expected, @conflicted, @firstKey, @firstAt)
      ON CONFLICT (code, event_id) DO UPDATE SET check_ins = excluded.check_ins,
        category = excluded.category, duplicate_scans = excluded.duplicate_scans,
        expected = excluded.expected, conflicted = excluded.conflicted,
        first_key = excluded.first_key, first_at = excluded.first_at`);
    this.deletePair = db.prepare(`DELETE FROM ${pairs} WHERE code = ? AND event_id = ?`);
    this.addCounters = db.prepare(`UPDATE ${events} SET
        check_ins = check_ins + @checkIns,
        checked_in_tickets = checked_in_tickets + @checkedInTickets,
        duplicate_scans = duplicate_scans + @duplicateScans,
        expected_tickets = expected_tickets + @expectedTickets,
        expected_checked_in = expected_checked_in + @expectedCheckedIn,
        unknown_tickets = unknown_tickets + @unknownTickets,
        cancelled_tickets = cancelled_tickets + @cancelledTickets,
        wrong_event_tickets = wrong_event_tickets + @wrongEventTickets,
        duplicate_scan_codes = duplicate_scan_codes + @duplicateScanCodes,
        conflicting_codes = conflicting_codes + @conflictingCodes
      WHERE event_id = @eventId`);
    this.capacityRow = db.prepare(`SELECT capacity, checked_in_tickets, published_key, published_at,
      over_capacity, over_kth_key, over_since FROM ${events} WHERE event_id = ?`);
    this.kthFirstCheckIn = db.prepare(`SELECT first_key, first_at FROM ${pairs}
      WHERE event_id = ? AND check_ins > 0 ORDER BY first_key, code LIMIT 1 OFFSET ?`);
    this.setOverCapacity = db.prepare(`UPDATE ${events}
      SET over_capacity = ?, over_kth_key = ?, over_since = ? WHERE event_id = ?`);
  }

  apply(events: readonly RecordedEvent[]): void {
    const changes = new TicketFactChanges();
    const published = new Set<string>();
    for (const event of events) {
      if (event.type === 'CopeEventPublished') {
        const publication = event.data as unknown as CopeEventPublished;
        if (this.recordPublication(publication)) published.add(publication.eventId);
      } else {
        this.facts.record(event, changes);
      }
    }
    for (const eventId of changes.events) this.mentionEvent.run(eventId);
    this.applyGates(changes);

    const deltas = new Map<string, EventDelta>();
    // Read for many codes at once: reconciling a code writes only that code's rows.
    for (const codes of keyChunks(changes.codes)) {
      const stored = rowsByKey<PairRow>(this.pairsOfCode, codes);
      for (const [code, state] of this.facts.states(codes)) {
        this.reconcileCode(code, state, stored.get(code) ?? [], deltas);
      }
    }
    for (const [eventId, { minKey: _minKey, ...counters }] of deltas) {
      this.addCounters.run({ eventId, ...counters });
    }
    for (const eventId of new Set([...deltas.keys(), ...published])) {
      this.reconcileCapacity(eventId, deltas.get(eventId)?.minKey, published.has(eventId));
    }
  }

  private recordPublication(publication: CopeEventPublished): boolean {
    return (
      this.publish.run({
        eventId: publication.eventId,
        title: publication.title,
        capacity: publication.capacity,
        startsAt: publication.startsAt,
        endsAt: publication.endsAt,
        senderTime: publication.senderTime,
        hash: publication.hash,
        occurredAt: publication.occurredAt,
      }).changes > 0
    );
  }

  /** Check-ins per gate move with the copy that counts, one check-in at a time. */
  private applyGates(changes: TicketFactChanges): void {
    const deltas = new Map<string, Map<string, number>>();
    const add = (eventId: string, gate: string | null, delta: number) => {
      const byGate = deltas.get(eventId) ?? new Map<string, number>();
      deltas.set(eventId, byGate);
      const key = gate ?? UNKNOWN_GATE;
      byGate.set(key, (byGate.get(key) ?? 0) + delta);
    };
    for (const { removed, added } of changes.counted) {
      if (removed) add(removed.eventId, removed.gate, -1);
      add(added.eventId, added.gate, 1);
    }
    for (const [eventId, byGate] of deltas) {
      for (const [gate, delta] of byGate) {
        if (delta === 0) continue;
        this.addGate.run(eventId, gate, delta);
        if (delta < 0) this.dropEmptyGate.run(eventId, gate);
      }
    }
  }

  /**
   * Re-derives what the code contributes at every event it concerns — where it was
   * checked in, where it is (or was) expected — and applies the difference.
   */
  private reconcileCode(
    code: string,
    { status, counted }: TicketCodeState,
    pairs: readonly PairRow[],
    deltas: Map<string, EventDelta>,
  ): void {
    const stored = new Map(pairs.map((row) => [row.event_id, row]));
    const eventIds = new Set([...stored.keys(), ...counted.keys()]);
    if (status.copeEventId !== null) eventIds.add(status.copeEventId);

    for (const eventId of eventIds) {
      const checkIns = counted.get(eventId) ?? [];
      const next = pairContribution(status, eventId, checkIns);
      const row = stored.get(eventId);
      const previous = row ? contributionOf(row) : NO_PAIR;

      const open = pairDiscrepancies(eventId, code, status, checkIns);
      for (const discrepancy of open) this.discrepancies.open(discrepancy);
      const stillOpen = new Set(open.map((discrepancy) => discrepancy.type));
      for (const type of openTypes(previous)) {
        if (!stillOpen.has(type))
          this.discrepancies.close(checkInDiscrepancyId(type, eventId, code));
      }

      if (sameContribution(previous, next)) continue;
      if (next.checkIns === 0 && !next.expected) {
        this.deletePair.run(code, eventId);
      } else {
        this.upsertPair.run({
          eventId,
          code,
          checkIns: next.checkIns,
          category: next.category,
          duplicateScans: next.duplicateScans,
          expected: next.expected ? 1 : 0,
          conflicted: next.conflicted,
          firstKey: next.firstKey,
          firstAt: next.firstAt,
        });
      }
      addDelta(deltas, eventId, previous, next);
    }
  }

  /**
   * `overCapacity` = checked-in tickets > capacity. Its `since` is the later of the
   * publication that set the capacity and the first check-in of the code that tipped the
   * count over (the (capacity+1)-th code by first check-in): re-read only when a code
   * at or before the tipping point came or went, so live check-ins stay cheap.
   */
  private reconcileCapacity(
    eventId: string,
    minKey: string | undefined,
    publicationChanged: boolean,
  ): void {
    const row = this.capacityRow.get(eventId) as CapacityRow | undefined;
    if (!row) return;
    const id = overCapacityDiscrepancyId(eventId);
    if (row.capacity === null || row.checked_in_tickets <= row.capacity) {
      if (row.over_capacity === 1) {
        this.setOverCapacity.run(0, null, null, eventId);
        this.discrepancies.close(id);
      }
      return;
    }

    let since = row.over_since;
    const tippingPointMoved =
      row.over_kth_key === null || (minKey !== undefined && minKey <= row.over_kth_key);
    if (row.over_capacity === 0 || publicationChanged || tippingPointMoved || since === null) {
      const tipping = this.kthFirstCheckIn.get(eventId, Math.max(0, row.capacity)) as
        { first_key: string; first_at: string } | undefined;
      const kthKey = tipping?.first_key ?? '';
      since =
        row.published_key !== null && row.published_key > kthKey
          ? (row.published_at ?? '')
          : (tipping?.first_at ?? '');
      this.setOverCapacity.run(1, kthKey, since, eventId);
    }
    this.discrepancies.open({
      id,
      type: 'over_capacity',
      provider: 'cope',
      eventId,
      detail: `${row.checked_in_tickets} tickets checked in at event ${eventId} for a capacity of ${row.capacity}`,
      since,
    });
  }
}

function contributionOf(row: PairRow): PairContribution {
  return {
    checkIns: row.check_ins,
    category: row.category,
    duplicateScans: row.duplicate_scans,
    expected: row.expected === 1,
    conflicted: row.conflicted,
    firstKey: row.first_key,
    firstAt: row.first_at,
  };
}

function sameContribution(a: PairContribution, b: PairContribution): boolean {
  return (
    a.checkIns === b.checkIns &&
    a.category === b.category &&
    a.duplicateScans === b.duplicateScans &&
    a.expected === b.expected &&
    a.conflicted === b.conflicted &&
    a.firstKey === b.firstKey &&
    a.firstAt === b.firstAt
  );
}

const CATEGORY_DISCREPANCY: Partial<Record<CheckInCategory, CheckInDiscrepancyType>> = {
  unknown: 'unknown_ticket',
  cancelled: 'cancelled_ticket',
  wrong_event: 'wrong_event',
};

/** The discrepancies a stored contribution had open. */
function openTypes(contribution: PairContribution): CheckInDiscrepancyType[] {
  const types: CheckInDiscrepancyType[] = [];
  const categoryType = contribution.category && CATEGORY_DISCREPANCY[contribution.category];
  if (categoryType) types.push(categoryType);
  if (contribution.duplicateScans > 0) types.push('duplicate_scan');
  if (contribution.conflicted > 0) types.push('conflicting_check_in');
  return types;
}

function addDelta(
  deltas: Map<string, EventDelta>,
  eventId: string,
  previous: PairContribution,
  next: PairContribution,
): void {
  const delta = deltas.get(eventId) ?? {
    checkIns: 0,
    checkedInTickets: 0,
    duplicateScans: 0,
    expectedTickets: 0,
    expectedCheckedIn: 0,
    unknownTickets: 0,
    cancelledTickets: 0,
    wrongEventTickets: 0,
    duplicateScanCodes: 0,
    conflictingCodes: 0,
    minKey: undefined,
  };
  deltas.set(eventId, delta);
  // Plain arithmetic on flags: this runs once per touched (event, code) pair.
  const was = previous.checkIns > 0;
  const is = next.checkIns > 0;
  delta.checkIns += next.checkIns - previous.checkIns;
  delta.checkedInTickets += Number(is) - Number(was);
  delta.duplicateScans += next.duplicateScans - previous.duplicateScans;
  delta.expectedTickets += Number(next.expected) - Number(previous.expected);
  delta.expectedCheckedIn += Number(next.expected && is) - Number(previous.expected && was);
  delta.unknownTickets +=
    Number(next.category === 'unknown') - Number(previous.category === 'unknown');
  delta.cancelledTickets +=
    Number(next.category === 'cancelled') - Number(previous.category === 'cancelled');
  delta.wrongEventTickets +=
    Number(next.category === 'wrong_event') - Number(previous.category === 'wrong_event');
  delta.duplicateScanCodes += Number(next.duplicateScans > 0) - Number(previous.duplicateScans > 0);
  delta.conflictingCodes += Number(next.conflicted > 0) - Number(previous.conflicted > 0);
  if (previous.firstKey !== next.firstKey) {
    for (const key of [previous.firstKey, next.firstKey]) {
      if (key !== null && (delta.minKey === undefined || key < delta.minKey)) delta.minKey = key;
    }
  }
}
