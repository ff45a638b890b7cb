// Shuffle (quality.md, "Reliability"): the reconciliation corpus delivered over HTTP in
// many random orders, with random redeliveries (the same bytes, or the same JSON
// re-serialised), each order on a fresh API and data directory, gives byte-identical
// canonical dumps of every read model, live and rebuilt from the log — and the dump says
// what reconciliation.md says.
import type { JsonObject } from '#event-store';
import { canonicalJsonSha256 } from '#ledger';
import { reserialised } from '../support/intake-fixtures.js';
import { PROVIDER_SECRETS, startLedgerApi } from '../support/ledger-api.harness.js';
import {
  canonicalDump,
  deliver,
  dumpedRead,
  field,
  items,
  rebuildAll,
  sortedJson,
  text,
  waitForReadModels,
  type Dump,
  type Json,
} from '../support/reads.js';
import {
  reconciliationCorpus,
  type CorpusDelivery,
  type ReconciliationCorpus,
} from './reconciliation-corpus.js';

/** Random orders compared with the corpus's own order. */
const ORDERS = 20;
/** Orders run at once, each on its own API and data directory (appends wait on fsync). */
const PARALLEL = 4;
/** How often a delivery is sent more than once. */
const REDELIVERY_RATE = 0.3;
const BASE_SEED = Number(process.env['SHUFFLE_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded PRNG, so that a failing order can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(list: readonly T[], random: () => number): T[] {
  const shuffled = [...list];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    const a = shuffled[index];
    const b = shuffled[other];
    if (a === undefined || b === undefined) continue;
    shuffled[index] = b;
    shuffled[other] = a;
  }
  return shuffled;
}

interface Sending {
  readonly delivery: CorpusDelivery;
  readonly body: string;
}

/** Every delivery once, some again (identical bytes or re-serialised JSON), all shuffled. */
function plan(corpus: ReconciliationCorpus, random: (() => number) | null): Sending[] {
  if (random === null)
    return corpus.deliveries.map((delivery) => ({ delivery, body: delivery.body }));
  const sendings: Sending[] = [];
  for (const delivery of corpus.deliveries) {
    sendings.push({ delivery, body: delivery.body });
    const copies = random() < REDELIVERY_RATE ? 1 + Math.floor(random() * 2) : 0;
    for (let copy = 0; copy < copies; copy += 1) {
      const body =
        random() < 0.5 ? delivery.body : reserialised(JSON.parse(delivery.body) as JsonObject);
      sendings.push({ delivery, body });
    }
  }
  return shuffle(sendings, random);
}

interface Run {
  readonly seed: number | null;
  readonly dump: Dump;
  readonly sendings: number;
}

/** Delivers one order to a fresh API, one delivery at a time, and dumps the read models. */
async function runOrder(corpus: ReconciliationCorpus, seed: number | null): Promise<Run> {
  const sendings = plan(corpus, seed === null ? null : prng(seed));
  const api = await startLedgerApi(PROVIDER_SECRETS);
  try {
    const receipts = new Map<string, unknown>();
    let head = 0;
    for (const { delivery, body } of sendings) {
      const answer = await deliver(api, delivery.provider, body);
      const first = receipts.get(delivery.label);
      const expected =
        first === undefined
          ? answer.status === 202 && answer.body['status'] === 'accepted'
          : answer.status === 200 &&
            answer.body['status'] === 'duplicate' &&
            answer.body['receiptId'] === first;
      if (!expected) {
        throw new Error(
          `${delivery.label} (${first === undefined ? 'first copy' : 'redelivery'}) was answered ${String(answer.status)} ${JSON.stringify(answer.body)}`,
        );
      }
      if (first === undefined) {
        receipts.set(delivery.label, answer.body['receiptId']);
        head = Math.max(head, Number(answer.body['position']));
      }
    }
    await waitForReadModels(api, head);
    const dump = await canonicalDump(api, corpus.ids);
    // The same log applied again from position 0, in large batches: the same answers.
    await rebuildAll(api);
    const rebuilt = await canonicalDump(api, corpus.ids);
    if (sortedJson(rebuilt) !== sortedJson(dump)) {
      throw new Error(
        `the read models rebuilt from the log differ from the live ones: ${String(firstDifference(dump, rebuilt))}`,
      );
    }
    return { seed, dump, sendings: sendings.length };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `order with shuffle seed ${String(seed)} (SHUFFLE_SEED=${String(seed)} replays it first): ${message}`,
      {
        cause: error,
      },
    );
  } finally {
    await api.dispose();
  }
}

/** Where two JSON values first differ, as a path with both sides. */
function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (sortedJson(a) === sortedJson(b)) return null;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}/${key}`,
      );
      if (found !== null) return found;
    }
  }
  return `${path}: ${sortedJson(a)} ≠ ${sortedJson(b)}`;
}

function body(dump: Dump, model: Exclude<keyof Dump, 'discrepancies'>, id: string | number) {
  const read = dumpedRead(dump, model, id);
  expect({ model, id, status: read.status }).toEqual({ model, id, status: 200 });
  return read.body;
}

function types(discrepancies: Json | undefined): string[] {
  return items(discrepancies)
    .map((discrepancy) => text(field(discrepancy, 'type')))
    .sort();
}

/** Of several deliveries, the snapshot (`data`, or LTD's `Payload`) with the smaller or greater canonical hash. */
function byHash(
  corpus: ReconciliationCorpus,
  labels: readonly string[],
  pick: 'min' | 'max',
  snapshot: 'data' | 'Payload' = 'data',
): JsonObject {
  const candidates = labels.map((label) => {
    const delivery = corpus.deliveries.find((candidate) => candidate.label === label);
    if (!delivery) throw new Error(`no delivery ${label}`);
    const data = (JSON.parse(delivery.body) as Record<string, JsonObject>)[snapshot];
    if (!data) throw new Error(`${label} has no ${snapshot}`);
    return { data, hash: canonicalJsonSha256(data) };
  });
  candidates.sort((a, b) => (a.hash < b.hash ? -1 : 1));
  const chosen = pick === 'min' ? candidates[0] : candidates[candidates.length - 1];
  if (!chosen) throw new Error('no candidates');
  return chosen.data;
}

describe('shuffle: the reconciliation corpus in random orders', () => {
  const corpus = reconciliationCorpus();
  const { names } = corpus;
  let reference: Run;
  const runs: Run[] = [];
  let elapsedMs = 0;

  beforeAll(async () => {
    const started = Date.now();
    reference = await runOrder(corpus, null);
    const seeds = Array.from({ length: ORDERS }, (_, index) => BASE_SEED + index);
    for (let index = 0; index < seeds.length; index += PARALLEL) {
      const batch = seeds.slice(index, index + PARALLEL);
      runs.push(...(await Promise.all(batch.map((seed) => runOrder(corpus, seed)))));
    }
    elapsedMs = Date.now() - started;
  }, 180_000);

  it(`given the corpus delivered in ${String(ORDERS)} random orders with redeliveries, then every canonical dump is byte-identical to the corpus order’s`, () => {
    const expected = sortedJson(reference.dump);
    for (const run of runs) {
      const actual = sortedJson(run.dump);
      if (actual !== expected) {
        throw new Error(
          `shuffle seed ${String(run.seed)} (SHUFFLE_SEED=${String(run.seed)} replays it first) gives another dump: ${String(firstDifference(reference.dump, run.dump))}`,
        );
      }
    }
    expect(runs).toHaveLength(ORDERS);
    expect(runs.some((run) => run.sendings > corpus.deliveries.length)).toBe(true);
    console.log(
      `shuffle: ${String(ORDERS)} random orders + the corpus order of ${String(corpus.deliveries.length)} deliveries (seed ${String(BASE_SEED)}), ${String(runs.reduce((sum, run) => sum + run.sendings, 0))} posts, in ${String(elapsedMs)} ms`,
    );
  });

  describe('then the dump holds what the rules say', () => {
    it('attendance at the main event: the newest publication, every count, the gates', () => {
      const main = body(reference.dump, 'attendance', names.events.main);
      const conflicting = byHash(
        corpus,
        ['check-in-conflicting-north', 'check-in-conflicting-south'],
        'min',
      );
      const counted = conflicting['gate'];
      if (typeof counted !== 'string') throw new Error('the conflicting check-ins have gates');

      expect(main).toMatchObject({
        eventId: names.events.main,
        title: 'Main (small room)',
        capacity: 4,
        startsAt: '2026-05-05T18:30:00.000Z',
        checkIns: 14,
        checkedInTickets: 10,
        duplicateScans: 2,
        expectedTickets: 6,
        noShows: 1,
        unknownTickets: 1,
        cancelledTickets: 1,
        wrongEventTickets: 1,
        overCapacity: true,
        discrepancyCounts: {
          unknown_ticket: 1,
          cancelled_ticket: 1,
          wrong_event: 1,
          duplicate_scan: 2,
          conflicting_check_in: 1,
          over_capacity: 1,
        },
      });
      const gates: Record<string, number> = { North: 6, South: 3, East: 3, unknown: 1 };
      gates[counted] = (gates[counted] ?? 0) + 1;
      expect(field(main, 'byGate')).toEqual(gates);
    });

    it('attendance elsewhere: a publication tie goes to the greater hash, an unpublished event has null capacity', () => {
      const newest = byHash(corpus, ['publish-other-a', 'publish-other-b'], 'max');

      expect(body(reference.dump, 'attendance', names.events.other)).toMatchObject({
        title: newest['title'],
        capacity: newest['capacity'],
        checkIns: 1,
        checkedInTickets: 1,
        expectedTickets: 3,
        noShows: 2,
        discrepancyCounts: { conflicting_check_in: 1 },
      });
      expect(body(reference.dump, 'attendance', names.events.unpublished)).toMatchObject({
        title: null,
        capacity: null,
        overCapacity: false,
        checkIns: 1,
        checkedInTickets: 1,
        expectedTickets: 1,
        noShows: 0,
      });
      expect(dumpedRead(reference.dump, 'attendance', 'rc-show-nobody-mentions').status).toBe(404);
    });

    it('tickets: the late ticket became known, the unknown one stays unknown, the shared barcode admits three of four scans', () => {
      const late = body(reference.dump, 'tickets', names.tickets.late);
      expect(field(late, 'records')).toEqual([
        { provider: 'cope', status: 'issued', eventId: names.events.main },
      ]);
      expect(field(late, 'discrepancies')).toEqual([]);
      expect(
        types(field(body(reference.dump, 'tickets', names.tickets.unknown), 'discrepancies')),
      ).toEqual(['unknown_ticket']);

      const shared = body(reference.dump, 'tickets', names.barcodes.shared);
      expect(items(field(shared, 'records')).map((record) => field(record, 'status'))).toEqual([
        'issued',
        'issued',
        'issued',
      ]);
      expect(items(field(shared, 'checkIns'))).toHaveLength(4);
      const scans = items(field(shared, 'discrepancies')).find(
        (discrepancy) => field(discrepancy, 'type') === 'duplicate_scan',
      );
      expect(items(field(scans, 'checkInIds'))).toHaveLength(4);

      expect(
        types(field(body(reference.dump, 'tickets', names.barcodes.e15), 'discrepancies')),
      ).toEqual(['cancelled_ticket']);
      expect(field(body(reference.dump, 'tickets', names.barcodes.j7), 'discrepancies')).toEqual(
        [],
      );
      expect(field(body(reference.dump, 'tickets', names.barcodes.l1), 'records')).toMatchObject([
        { provider: 'ltd', status: 'cancelled', seat: 'L1' },
      ]);
      expect(dumpedRead(reference.dump, 'tickets', names.unknownTicket).status).toBe(404);
    });

    it('tickets: a barcode only an e-ticket release names is known, with its delivery discrepancies', () => {
      const unlisted = body(reference.dump, 'tickets', names.barcodes.unknownEticket);
      expect(field(unlisted, 'records')).toEqual([]);
      expect(items(field(unlisted, 'deliveries'))).toMatchObject([
        { provider: 'ltd', bookingReference: names.bookings.scheduled, seat: 'N42' },
      ]);
      expect(types(field(unlisted, 'discrepancies'))).toEqual(['eticket_for_unknown_barcode']);
      expect(
        types(field(body(reference.dump, 'tickets', names.barcodes.n41), 'discrepancies')),
      ).toEqual(['eticket_for_cancelled_ticket']);
      expect(
        types(field(body(reference.dump, 'tickets', names.barcodes.shared), 'discrepancies')),
      ).toEqual(['duplicate_barcode', 'duplicate_scan']);
      expect(field(body(reference.dump, 'tickets', names.barcodes.releaseOnly), 'records')).toEqual(
        [],
      );
    });

    it('tickets: of one check-in naming two tickets, exactly one got in', () => {
      const checkedIn = [names.tickets.conflictingX, names.tickets.conflictingY].map(
        (ticket) => items(field(body(reference.dump, 'tickets', ticket), 'checkIns')).length,
      );

      expect(checkedIn.sort()).toEqual([0, 1]);
    });

    it('inventory per COPE event agrees with attendance: issued = expectedTickets, checkedIn = checkedInTickets', () => {
      expect(body(reference.dump, 'copeInventory', names.events.main)).toMatchObject({
        capacity: 4,
        issued: 6,
        checkedIn: 10,
        remaining: -2,
        oversold: true,
      });
      for (const eventId of Object.values(names.events)) {
        const attendance = body(reference.dump, 'attendance', eventId);
        const inventory = body(reference.dump, 'copeInventory', eventId);
        expect({ eventId, ...pick(inventory, 'capacity', 'issued', 'checkedIn') }).toEqual({
          eventId,
          capacity: field(attendance, 'capacity'),
          issued: field(attendance, 'expectedTickets'),
          checkedIn: field(attendance, 'checkedInTickets'),
        });
      }
    });

    it('deliveries: the moved ticket’s requests newest first; LTD statuses, first match wins', () => {
      const moved = body(reference.dump, 'copeDeliveries', names.tickets.moved);
      expect(field(moved, 'eventId')).toBe(names.events.main);
      expect(
        items(field(moved, 'requests')).map((request) => field(request, 'ticketDeliveryId')),
      ).toEqual(['rc-del-moved-b', 'rc-del-moved-a', 'rc-del-request-moved-1']);
      expect(body(reference.dump, 'copeDeliveries', names.tickets.unknown)).toMatchObject({
        eventId: null,
        status: null,
        requests: [],
      });

      const status = (booking: string) =>
        field(body(reference.dump, 'ltdDeliveries', booking), 'status');
      expect({
        printAtHome: status(names.bookings.printAtHome),
        scheduled: status(names.bookings.scheduled),
        pending: status(names.bookings.pending),
        duplicate: status(names.bookings.duplicate),
        cancelled: status(names.bookings.cancelled),
        releaseOnly: status(names.bookings.releaseOnly),
        optIn: status(names.bookings.optIn),
        switched: status(names.bookings.switched),
      }).toEqual({
        printAtHome: 'available',
        scheduled: 'available',
        pending: 'pending',
        duplicate: 'available',
        cancelled: 'cancelled',
        releaseOnly: 'available',
        optIn: 'pending',
        switched: 'pending',
      });
      expect(
        items(
          field(body(reference.dump, 'ltdDeliveries', names.bookings.printAtHome), 'tickets'),
        ).map((ticket) => [
          field(ticket, 'seat'),
          field(ticket, 'status'),
          field(ticket, 'eticketAvailable'),
        ]),
      ).toEqual([
        ['E15', 'cancelled', false],
        ['J7', 'issued', true],
        ['K1', 'cancelled', false],
        ['L1', 'cancelled', false],
      ]);
      const scheduled = body(reference.dump, 'ltdDeliveries', names.bookings.scheduled);
      expect(field(scheduled, 'eticketsAvailableAt')).toBe('2024-02-28T10:00:00.5Z');
      expect(types(field(scheduled, 'discrepancies'))).toEqual([
        'duplicate_barcode',
        'eticket_for_cancelled_ticket',
        'eticket_for_unknown_barcode',
      ]);
      expect(
        field(body(reference.dump, 'ltdDeliveries', names.bookings.switched), 'deliveryType'),
      ).toBe('ScheduledEtickets');
      expect(dumpedRead(reference.dump, 'ltdDeliveries', names.unknownBooking).status).toBe(404);
    });

    it('inventory: LTD figures from the newest report against the affiliate’s seats; Ingresse totals from the newest snapshots', () => {
      expect(body(reference.dump, 'ltdInventory', names.performances.main)).toMatchObject({
        totalSeats: 1000,
        availableSeats: 1000,
        unavailableSeats: 0,
        affiliateIssued: 1,
        affiliateCancelled: 5,
        hasOffer: true,
        disabled: null,
      });
      expect(
        types(
          field(body(reference.dump, 'ltdInventory', names.performances.main), 'discrepancies'),
        ),
      ).toEqual(['affiliate_exceeds_unavailable']);
      const disabled = body(reference.dump, 'ltdInventory', names.performances.disabled);
      expect(disabled).toMatchObject({ disabled: true, affiliateIssued: 2, unavailableSeats: 50 });
      expect(types(field(disabled, 'discrepancies'))).toEqual(['booking_on_disabled_performance']);
      const reported = byHash(
        corpus,
        ['performance-reported-a', 'performance-reported-b'],
        'max',
        'Payload',
      );
      expect(body(reference.dump, 'ltdInventory', names.performances.reported)).toMatchObject({
        availableSeats: reported['TotalAvailableTicketsCount'],
        affiliateIssued: 1,
      });
      expect(body(reference.dump, 'ltdInventory', names.performances.scheduled)).toMatchObject({
        totalSeats: null,
        availableSeats: null,
        unavailableSeats: null,
        reportedAt: null,
        affiliateIssued: 3,
        affiliateCancelled: 1,
      });

      const ingresse = body(reference.dump, 'ingresseInventory', names.ingresse.event);
      expect(field(ingresse, 'totalQuantity')).toBe(180);
      const byId = new Map(
        items(field(ingresse, 'ticketTypes')).map((type) => [field(type, 'id'), type]),
      );
      expect(byId.get(names.ingresse.ownBeatsEmbedded)).toMatchObject({
        name: 'Ingresso - Pista',
        quantity: 150,
      });
      expect(byId.get(names.ingresse.embeddedNewer)).toMatchObject({
        name: 'Camarote',
        archived: true,
        reportedAt: '2018-04-02T14:10:00.5',
      });
      expect(byId.get(names.ingresse.group)).toMatchObject({
        name: 'Grupo de Ingressos (revisado)',
        quantity: 1000,
      });
      expect(byId.size).toBe(7);
    });

    it('LTD: a ticket moved between performances and areas, then dropped, keeps its newest listing’s performance and area; every named performance is known', () => {
      const { barcodes, bookings, performances } = names;
      expect(field(body(reference.dump, 'tickets', barcodes.moving), 'records')).toEqual([
        {
          provider: 'ltd',
          status: 'cancelled',
          performanceId: performances.movedTo,
          bookingReference: bookings.moving,
          seat: 'M1',
          area: 'Dress Circle',
          providerStatus: 'Purchased',
        },
      ]);
      expect(field(body(reference.dump, 'ltdDeliveries', bookings.moving), 'tickets')).toEqual([
        {
          barcode: barcodes.moving,
          seat: 'M1',
          area: 'Dress Circle',
          status: 'cancelled',
          eticketAvailable: false,
        },
        // The newer transactions give it no area: none, not the oldest one's.
        {
          barcode: barcodes.staying,
          seat: 'M2',
          area: null,
          status: 'issued',
          eticketAvailable: true,
        },
      ]);
      const counters = (performanceId: number) =>
        pick(
          body(reference.dump, 'ltdInventory', performanceId),
          'eventId',
          'affiliateIssued',
          'affiliateCancelled',
        );
      expect(
        [performances.movedFrom, performances.movedTo, performances.kept].map(counters),
      ).toEqual([
        { eventId: names.ltdEvent, affiliateIssued: 0, affiliateCancelled: 0 },
        { eventId: names.ltdEvent, affiliateIssued: 0, affiliateCancelled: 1 },
        { eventId: names.ltdEvent, affiliateIssued: 1, affiliateCancelled: 0 },
      ]);
    });

    it('the discrepancy list holds each open discrepancy once, of every type the corpus provokes', () => {
      const all = reference.dump.discrepancies;
      const ids = all.map((discrepancy) => field(discrepancy, 'id'));

      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
      expect(types(all)).toEqual([
        'affiliate_exceeds_unavailable',
        'booking_on_disabled_performance',
        'cancelled_ticket',
        'conflicting_check_in',
        'conflicting_check_in',
        'duplicate_barcode',
        'duplicate_barcode',
        'duplicate_barcode',
        'duplicate_scan',
        'duplicate_scan',
        'eticket_for_cancelled_ticket',
        'eticket_for_unknown_barcode',
        'over_capacity',
        'unknown_ticket',
        'wrong_event',
      ]);
    });
  });
});

function pick(value: Json, ...keys: string[]): Record<string, Json | undefined> {
  return Object.fromEntries(keys.map((key) => [key, field(value, key)]));
}
