import { normaliseSenderTime, type LedgerEvent } from '#ledger';
import {
  checkedIn,
  checkedInWithoutGate,
  copeEventPublished,
  deliveryRequested,
  givenEvents,
  ltdTicketCancelled,
  ltdTicketIssued,
  ltdTicketReinstated,
} from '#testing';
import { TicketQueries, ticketsProjection } from '#tickets';
import { attendanceProjection } from './attendance.projection.js';
import { AttendanceQueries } from './attendance.queries.js';

/**
 * Order-insensitivity: random sets of facts, applied in many random orders and batch
 * splits, must give the same answers (discrepancy ids and `since` included) — and the
 * counters must match a from-scratch count of the set (a naive oracle written from
 * reconciliation.md, independent of the incremental code).
 */

type Random = () => number;

/** mulberry32: small, seedable, good enough to shuffle. */
function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const chance = (random: Random, p: number) => random() < p;

const EVENTS = ['E1', 'E2', 'E3'];
const GATES = ['North', 'South', undefined];

/**
 * A set of facts, as sequences that must keep their order (an LTD seat's history is
 * ordered by its booking stream; everything else is a sequence of one).
 */
function randomFacts(random: Random): LedgerEvent[][] {
  const sequences: LedgerEvent[][] = [];
  for (const eventId of EVENTS) {
    const publications = Math.floor(random() * 3);
    for (let index = 0; index < publications; index += 1) {
      sequences.push([
        copeEventPublished(eventId, {
          capacity: Math.floor(random() * 10),
          title: `${eventId} v${String(index)}`,
          occurredAt: `2026-04-0${String(1 + Math.floor(random() * 3))}T09:00:00Z`,
        }),
      ]);
    }
  }

  const copeTickets = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8'];
  for (const ticketId of copeTickets) {
    const requests = Math.floor(random() * 3);
    for (let index = 0; index < requests; index += 1) {
      sequences.push([
        deliveryRequested(ticketId, pick(random, EVENTS), {
          ticketDeliveryId: pick(random, ['D1', 'D2', 'D3']),
          requestedAt: pick(random, [
            '2026-05-01T10:00:00Z',
            '2026-05-01T10:00:00.000Z',
            '2026-05-02T10:00:00Z',
          ]),
        }),
      ]);
    }
  }

  const barcodes = ['L1', 'L2', 'L3', 'T8'];
  for (const barcode of barcodes) {
    const seats = 1 + Math.floor(random() * 3);
    for (let index = 0; index < seats; index += 1) {
      const ref = {
        bookingReference: pick(random, ['B1', 'B2']),
        barcode,
        seat: `S${String(index)}`,
      };
      const history: LedgerEvent[] = [ltdTicketIssued(ref)];
      if (chance(random, 0.7)) history.push(ltdTicketCancelled(ref));
      if (history.length === 2 && chance(random, 0.3)) history.push(ltdTicketReinstated(ref));
      sequences.push(history);
    }
  }

  const codes = [...copeTickets, ...barcodes, 'X1', 'X2'];
  for (let index = 0; index < 30; index += 1) {
    const checkInId = `C${String(index).padStart(2, '0')}`;
    const ticketId = pick(random, codes);
    const eventId = pick(random, EVENTS);
    const checkedInAt = `2026-05-05T19:${String(Math.floor(random() * 60)).padStart(2, '0')}:00Z`;
    const gate = pick(random, GATES);
    const copy =
      gate === undefined
        ? checkedInWithoutGate(checkInId, ticketId, eventId)
        : checkedIn(checkInId, ticketId, eventId, { gate, checkedInAt });
    sequences.push([copy]);
    if (chance(random, 0.15)) sequences.push([copy]); // redelivered as is
    if (chance(random, 0.2)) {
      // A conflicting copy: another gate, event or code.
      sequences.push([
        checkedIn(
          checkInId,
          chance(random, 0.5) ? ticketId : pick(random, codes),
          pick(random, EVENTS),
          {
            gate: pick(random, ['North', 'South', 'East']),
            checkedInAt,
          },
        ),
      ]);
    }
  }
  return sequences;
}

/** Interleaves the sequences at random, each keeping its own order. */
function interleave(random: Random, sequences: readonly LedgerEvent[][]): LedgerEvent[] {
  const queues = sequences.map((sequence) => [...sequence]);
  const out: LedgerEvent[] = [];
  while (queues.some((queue) => queue.length > 0)) {
    const open = queues.filter((queue) => queue.length > 0);
    const next = pick(random, open).shift();
    if (next) out.push(next);
  }
  return out;
}

function randomBatches(random: Random, events: readonly LedgerEvent[]): LedgerEvent[][] {
  const batches: LedgerEvent[][] = [];
  let index = 0;
  while (index < events.length) {
    const size = 1 + Math.floor(random() * 8);
    batches.push(events.slice(index, index + size));
    index += size;
  }
  return batches;
}

function codesOf(events: readonly LedgerEvent[]): string[] {
  const codes = new Set<string>(['NOPE']);
  for (const event of events) {
    if ('ticketId' in event.data) codes.add(event.data.ticketId);
    if ('barcode' in event.data) codes.add(event.data.barcode);
  }
  return [...codes].sort();
}

/** Every answer both read models give about the facts' events and codes. */
function answers(batches: readonly LedgerEvent[][], codes: readonly string[]) {
  const attendance = givenEvents(attendanceProjection);
  const tickets = givenEvents(ticketsProjection);
  for (const batch of batches) {
    attendance.when(...batch);
    tickets.when(...batch);
  }
  const attendanceQueries = new AttendanceQueries(attendance.db, attendance.table);
  const ticketQueries = new TicketQueries(tickets.db, tickets.table);
  const result = {
    events: [...EVENTS, 'E-none'].map((eventId) => attendanceQueries.event(eventId)),
    discrepancies: attendanceQueries.discrepancies({ limit: 1000 }),
    tickets: codes.map((code) => ticketQueries.ticket(code)),
  };
  attendance.close();
  tickets.close();
  return result;
}

/** reconciliation.md, counted from scratch over the set of facts. */
function oracle(events: readonly LedgerEvent[], eventId: string) {
  type CheckIn = LedgerEvent & { type: 'TicketCheckedIn' };
  const copies = new Map<string, Map<string, CheckIn>>();
  const requests = new Map<string, { key: string; id: string; eventId: string }[]>();
  const seats = new Map<string, { barcode: string; cancelled: boolean }>();
  let publication: { key: string; hash: string; capacity: number } | undefined;
  let mentioned = false;
  for (const event of events) {
    switch (event.type) {
      case 'TicketCheckedIn': {
        const byHash = copies.get(event.data.checkInId) ?? new Map<string, CheckIn>();
        byHash.set(event.data.contentHash, event);
        copies.set(event.data.checkInId, byHash);
        mentioned ||= event.data.eventId === eventId;
        break;
      }
      case 'TicketDeliveryRequested': {
        const list = requests.get(event.data.ticketId) ?? [];
        list.push({
          key: normaliseSenderTime(event.data.requestedAt),
          id: event.data.ticketDeliveryId,
          eventId: event.data.eventId,
        });
        requests.set(event.data.ticketId, list);
        mentioned ||= event.data.eventId === eventId;
        break;
      }
      case 'CopeEventPublished':
        if (event.data.eventId !== eventId) break;
        mentioned = true;
        if (
          !publication ||
          event.data.senderTime > publication.key ||
          (event.data.senderTime === publication.key && event.data.hash > publication.hash)
        ) {
          publication = {
            key: event.data.senderTime,
            hash: event.data.hash,
            capacity: event.data.capacity,
          };
        }
        break;
      case 'BookingTicketIssued':
      case 'BookingTicketReinstated':
      case 'BookingTicketCancelled':
        seats.set(`${event.data.bookingReference}|${event.data.ticketKey}`, {
          barcode: event.data.barcode,
          cancelled: event.type === 'BookingTicketCancelled',
        });
        break;
      default:
        break;
    }
  }
  if (!mentioned) return undefined;

  const copeEvent = (code: string) =>
    [...(requests.get(code) ?? [])]
      .sort((a, b) =>
        a.key !== b.key
          ? a.key < b.key
            ? -1
            : 1
          : a.id !== b.id
            ? a.id < b.id
              ? -1
              : 1
            : a.eventId < b.eventId
              ? -1
              : 1,
      )
      .pop()?.eventId;
  const ltd = (code: string) => [...seats.values()].filter((seat) => seat.barcode === code);

  const perCode = new Map<string, number>();
  const byGate: Record<string, number> = {};
  for (const byHash of copies.values()) {
    const counted = [...byHash.values()].sort((a, b) =>
      a.data.contentHash < b.data.contentHash ? -1 : 1,
    )[0];
    if (counted?.data.eventId !== eventId) continue;
    perCode.set(counted.data.ticketId, (perCode.get(counted.data.ticketId) ?? 0) + 1);
    const gate = counted.data.gate ?? 'unknown';
    byGate[gate] = (byGate[gate] ?? 0) + 1;
  }

  let duplicateScans = 0;
  let unknownTickets = 0;
  let cancelledTickets = 0;
  let wrongEventTickets = 0;
  for (const [code, count] of perCode) {
    const cope = copeEvent(code);
    const ltdSeats = ltd(code);
    const live = ltdSeats.filter((seat) => !seat.cancelled).length;
    const admissions = cope !== undefined ? 1 : Math.max(1, live > 0 ? live : ltdSeats.length);
    duplicateScans += Math.max(0, count - admissions);
    if (cope === undefined && ltdSeats.length === 0) unknownTickets += 1;
    else if (cope === undefined && live === 0) cancelledTickets += 1;
    else if (cope !== undefined && cope !== eventId) wrongEventTickets += 1;
  }
  const expected = [...requests.keys()].filter((code) => copeEvent(code) === eventId);
  const checkIns = [...perCode.values()].reduce((sum, count) => sum + count, 0);
  return {
    capacity: publication?.capacity ?? null,
    checkIns,
    checkedInTickets: perCode.size,
    duplicateScans,
    expectedTickets: expected.length,
    noShows: expected.filter((code) => !perCode.has(code)).length,
    unknownTickets,
    cancelledTickets,
    wrongEventTickets,
    overCapacity: publication !== undefined && perCode.size > publication.capacity,
    byGate: Object.fromEntries(Object.entries(byGate).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('attendance and tickets, whatever the order', () => {
  it('generates sets that open every discrepancy type, and over-capacity both ways', () => {
    const types = new Set<string>();
    const overCapacity = new Set<boolean>();
    for (const seed of SEEDS) {
      const facts = randomFacts(seeded(seed)).flat();
      for (const answer of answers([facts], codesOf(facts)).events) {
        if (!answer) continue;
        overCapacity.add(answer.overCapacity);
        for (const [type, count] of Object.entries(answer.discrepancyCounts)) {
          if (count > 0) types.add(type);
        }
      }
    }
    expect([...types].sort()).toEqual([
      'cancelled_ticket',
      'conflicting_check_in',
      'duplicate_scan',
      'over_capacity',
      'unknown_ticket',
      'wrong_event',
    ]);
    expect(overCapacity).toEqual(new Set([true, false]));
  });

  it.each(SEEDS)(
    'given random facts (seed %i), every order and batch split gives the same answers, matching a count from scratch',
    (seed) => {
      const random = seeded(seed);
      const sequences = randomFacts(random);
      const inLogOrder = sequences.flat();
      const codes = codesOf(inLogOrder);
      const reference = answers([inLogOrder], codes);

      for (const eventId of [...EVENTS, 'E-none']) {
        const expected = oracle(inLogOrder, eventId);
        const actual = reference.events.find((answer) => answer?.eventId === eventId);
        if (expected === undefined) expect(actual).toBeUndefined();
        else expect(actual).toMatchObject(expected);
      }

      for (let run = 0; run < 12; run += 1) {
        const order = interleave(random, sequences);
        const batches =
          run % 3 === 0 ? order.map((event) => [event]) : randomBatches(random, order);
        expect(answers(batches, codes)).toEqual(reference);
      }
    },
  );
});
