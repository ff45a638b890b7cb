// Reconciled reads end to end (api.md, "Reconciled reads"): webhooks in over HTTP, every
// GET route's answer out, with its fields as api.md names them; 404 (unknown or
// malformed ids) and 400 (bad query parameters) problem details; read-your-writes with
// ?minPosition=; the discrepancy list paged and filtered; the OpenAPI document.
import type { JsonObject } from '#event-store';
import type { Provider } from '#ledger';
import { expectProblem } from '../support/http-answers.js';
import {
  copeCheckIn,
  copeTicketDelivery,
  ingresseTicketType,
  ltdTransaction,
  unique,
  uniqueInteger,
} from '../support/intake-fixtures.js';
import {
  PROVIDER_SECRETS,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';
import {
  allDiscrepancies,
  asAnswer,
  deliver,
  field,
  getJson,
  items,
  text,
  type Json,
} from '../support/reads.js';
import { reconciliationCorpus } from '../scenarios/reconciliation-corpus.js';

const corpus = reconciliationCorpus('reads', 8_000_000);
const { names } = corpus;

/** The member names an answer must have: api.md's, plus `asOfPosition`. */
function keysOf(value: Json | undefined): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.keys(value)
    : [];
}

function expectFields(value: Json | undefined, fields: readonly string[]): void {
  expect(keysOf(value)).toEqual(expect.arrayContaining([...fields]));
}

const DISCREPANCY_FIELDS = ['id', 'type', 'provider', 'detail', 'since'];

describe('reconciled reads over HTTP', () => {
  let api: RunningLedgerApi;
  let head = 0;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
    for (const delivery of corpus.deliveries) {
      const answer = await deliver(api, delivery.provider, delivery.body);
      if (answer.status !== 202) throw new Error(`${delivery.label}: ${String(answer.status)}`);
      head = Math.max(head, Number(answer.body['position']));
    }
  }, 30_000);

  afterAll(async () => {
    await api.dispose();
  });

  /** A read that waits for the whole corpus (read-your-writes). */
  const read = (path: string) =>
    getJson(api, `${path}${path.includes('?') ? '&' : '?'}minPosition=${String(head)}`);

  describe('given the corpus delivered, when each route is read, then it answers with api.md’s fields and asOfPosition', () => {
    it('GET /attendance/cope/{eventId}', async () => {
      const answer = await read(`/attendance/cope/${names.events.main}`);

      expect(answer.status).toBe(200);
      expectFields(answer.body, [
        'eventId',
        'title',
        'capacity',
        'startsAt',
        'endsAt',
        'checkIns',
        'checkedInTickets',
        'duplicateScans',
        'expectedTickets',
        'noShows',
        'unknownTickets',
        'cancelledTickets',
        'wrongEventTickets',
        'overCapacity',
        'byGate',
        'discrepancyCounts',
        'discrepancies',
        'asOfPosition',
      ]);
      expect(answer.body).toMatchObject({
        eventId: names.events.main,
        capacity: 4,
        checkIns: 14,
        overCapacity: true,
      });
      expect(Number(field(answer.body, 'asOfPosition'))).toBeGreaterThanOrEqual(head);
      const discrepancies = items(field(answer.body, 'discrepancies'));
      expect(discrepancies).toHaveLength(7);
      for (const discrepancy of discrepancies) {
        expectFields(discrepancy, [...DISCREPANCY_FIELDS, 'eventId']);
      }
      const since = discrepancies.map((discrepancy) => text(field(discrepancy, 'since')));
      expect([...since].sort()).toEqual(since);
      // Served from the body kept for this read-model state: JSON, and the same again.
      expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((await read(`/attendance/cope/${names.events.main}`)).body).toEqual(answer.body);
    });

    it('GET /tickets/{ticketId}: a COPE ticket and an LTD barcode', async () => {
      const cope = await read(`/tickets/${names.tickets.wrongEvent}`);
      const ltd = await read(`/tickets/${names.barcodes.e15}`);

      for (const answer of [cope, ltd]) {
        expect(answer.status).toBe(200);
        expectFields(answer.body, [
          'ticketId',
          'records',
          'checkIns',
          'deliveries',
          'discrepancies',
          'asOfPosition',
        ]);
      }
      expect(field(cope.body, 'records')).toEqual([
        { provider: 'cope', status: 'issued', eventId: names.events.other },
      ]);
      expect(items(field(cope.body, 'checkIns'))).toMatchObject([
        { checkInId: 'reads-ci-wrong-event', eventId: names.events.main, gate: 'North' },
      ]);
      expect(items(field(cope.body, 'deliveries'))).toMatchObject([
        { provider: 'cope', eventId: names.events.other },
      ]);
      expect(items(field(cope.body, 'discrepancies'))).toMatchObject([{ type: 'wrong_event' }]);
      expect(field(ltd.body, 'records')).toMatchObject([
        {
          provider: 'ltd',
          status: 'cancelled',
          performanceId: names.performances.main,
          bookingReference: names.bookings.printAtHome,
          seat: 'E15',
        },
      ]);
    });

    it('GET /deliveries/cope/{ticketId}', async () => {
      const answer = await read(`/deliveries/cope/${names.tickets.moved}`);

      expect(answer.status).toBe(200);
      expectFields(answer.body, ['ticketId', 'eventId', 'status', 'requests', 'asOfPosition']);
      expect(answer.body).toMatchObject({
        ticketId: names.tickets.moved,
        eventId: names.events.main,
        status: 'requested',
      });
      const requests = items(field(answer.body, 'requests'));
      expect(requests).toHaveLength(3);
      for (const request of requests) {
        expectFields(request, ['ticketDeliveryId', 'deliveryKind', 'recipient', 'requestedAt']);
      }
    });

    it('GET /deliveries/ltd/{bookingReference}', async () => {
      const answer = await read(`/deliveries/ltd/${names.bookings.scheduled}`);

      expect(answer.status).toBe(200);
      expectFields(answer.body, [
        'bookingReference',
        'deliveryType',
        'status',
        'eticketsAvailableAt',
        'tickets',
        'discrepancies',
        'asOfPosition',
      ]);
      expect(answer.body).toMatchObject({
        bookingReference: names.bookings.scheduled,
        deliveryType: 'ScheduledEtickets',
        status: 'available',
      });
      const tickets = items(field(answer.body, 'tickets'));
      expect(tickets).toHaveLength(4);
      for (const ticket of tickets) {
        expectFields(ticket, ['barcode', 'seat', 'area', 'status', 'eticketAvailable']);
      }
      for (const discrepancy of items(field(answer.body, 'discrepancies'))) {
        expectFields(discrepancy, [...DISCREPANCY_FIELDS, 'bookingReference', 'ticketId']);
      }
    });

    it('GET /inventory/cope/{eventId}', async () => {
      const answer = await read(`/inventory/cope/${names.events.main}`);

      expect(answer.status).toBe(200);
      expect(keysOf(answer.body).sort()).toEqual(
        [
          'eventId',
          'capacity',
          'issued',
          'checkedIn',
          'remaining',
          'oversold',
          'asOfPosition',
        ].sort(),
      );
      expect(answer.body).toMatchObject({ capacity: 4, issued: 6, remaining: -2, oversold: true });
    });

    it('GET /inventory/ltd/{performanceId}', async () => {
      const answer = await read(`/inventory/ltd/${String(names.performances.disabled)}`);

      expect(answer.status).toBe(200);
      expectFields(answer.body, [
        'performanceId',
        'eventId',
        'totalSeats',
        'availableSeats',
        'unavailableSeats',
        'affiliateIssued',
        'affiliateCancelled',
        'disabled',
        'hasOffer',
        'reportedAt',
        'discrepancies',
        'asOfPosition',
      ]);
      expect(answer.body).toMatchObject({
        performanceId: names.performances.disabled,
        eventId: names.ltdEvent,
        totalSeats: 200,
        availableSeats: 150,
        unavailableSeats: 50,
        disabled: true,
        reportedAt: '2024-05-14T08:00:00Z',
      });
      expect(items(field(answer.body, 'discrepancies'))).toMatchObject([
        { type: 'booking_on_disabled_performance', performanceId: names.performances.disabled },
      ]);
    });

    it('GET /inventory/ingresse/{eventId}', async () => {
      const answer = await read(`/inventory/ingresse/${String(names.ingresse.event)}`);

      expect(answer.status).toBe(200);
      expectFields(answer.body, ['eventId', 'totalQuantity', 'ticketTypes', 'asOfPosition']);
      const types = items(field(answer.body, 'ticketTypes'));
      expect(types.length).toBeGreaterThan(0);
      for (const type of types) {
        expectFields(type, [
          'id',
          'name',
          'type',
          'parentId',
          'quantity',
          'price',
          'finalPrice',
          'available',
          'hidden',
          'archived',
          'salable',
          'eventDates',
          'reportedAt',
        ]);
      }
    });

    it('GET /discrepancies', async () => {
      const answer = await read('/discrepancies');

      expect(answer.status).toBe(200);
      expectFields(answer.body, ['items', 'next', 'asOfPosition']);
      expect(field(answer.body, 'next')).toBeNull();
      const all = items(field(answer.body, 'items'));
      expect(all.length).toBeGreaterThanOrEqual(15);
      for (const discrepancy of all) expectFields(discrepancy, DISCREPANCY_FIELDS);
    });
  });

  describe('given ids no accepted fact mentions', () => {
    it.each([
      ['/attendance/cope/reads-nobody'],
      ['/tickets/reads-nobody'],
      ['/deliveries/cope/reads-nobody'],
      ['/deliveries/ltd/READS-NOBODY'],
      ['/inventory/cope/reads-nobody'],
      ['/inventory/ltd/8999999'],
      ['/inventory/ingresse/8999999'],
    ])('when GET %s, then 404 problem details', async (path) => {
      expectProblem(asAnswer(await read(path)), 404);
    });

    // Performance and Ingresse event ids are integers in every fact: any other path id
    // is one no fact mentions, so it answers the same 404, not a 400.
    it.each([
      ['/inventory/ltd/abc', '/inventory/ltd/8999999'],
      ['/inventory/ltd/12.5', '/inventory/ltd/8999999'],
      ['/inventory/ltd/99999999999999999', '/inventory/ltd/8999999'],
      ['/inventory/ingresse/abc', '/inventory/ingresse/8999999'],
      ['/inventory/ingresse/1e3', '/inventory/ingresse/8999999'],
    ])('when GET %s (not an integer id), then the 404 of any unknown id', async (path, known) => {
      const answer = await read(path);
      const unknown = await read(known);

      expectProblem(asAnswer(answer), 404);
      expect(field(answer.body, 'type')).toBe(field(unknown.body, 'type'));
      expect(field(answer.body, 'title')).toBe(field(unknown.body, 'title'));
      expect(answer.body).not.toHaveProperty('errors');
    });
  });

  describe('given bad query parameters', () => {
    it.each([
      ['/attendance/cope/reads-show-main?minPosition=-1', '/query/minPosition'],
      ['/tickets/x?minPosition=abc', '/query/minPosition'],
      ['/inventory/cope/reads-show-main?minPosition=1.5', '/query/minPosition'],
      ['/discrepancies?limit=0', '/query/limit'],
      ['/discrepancies?limit=1001', '/query/limit'],
      ['/discrepancies?limit=abc', '/query/limit'],
      ['/discrepancies?provider=foo', '/query/provider'],
      ['/discrepancies?type=Not-A-Type', '/query/type'],
      ['/discrepancies?minPosition=-1', '/query/minPosition'],
      ['/inventory/ltd/1?minPosition=x', '/query/minPosition'],
      ['/inventory/ingresse/abc?minPosition=x', '/query/minPosition'],
    ])('when GET %s, then 400 problem details naming %s', async (path, pointer) => {
      const answer = await getJson(api, path);

      expectProblem(asAnswer(answer), 400);
      const name = pointer.split('/').pop() ?? '';
      expect(text(field(answer.body, 'detail'))).toContain(name);
      expect(items(field(answer.body, 'errors'))).toMatchObject([{ pointer }]);
    });
  });

  describe('read-your-writes: ?minPosition= with the position of a 202', () => {
    interface Case {
      readonly provider: Provider;
      readonly body: JsonObject;
      readonly path: string;
      readonly expected: Record<string, unknown>;
    }
    const showId = unique('reads-ryw-show');
    const ticketId = unique('reads-ryw-ticket');
    const booking = unique('READS-RYW');
    const ingresseEvent = uniqueInteger();
    const cases: Record<string, () => Case> = {
      'a check-in (attendance)': () => ({
        provider: 'cope',
        body: copeCheckIn({ data: { event_id: showId } }),
        path: `/attendance/cope/${showId}`,
        expected: { checkIns: 1, unknownTickets: 1 },
      }),
      'a delivery request (tickets)': () => ({
        provider: 'cope',
        body: copeTicketDelivery({ ticketId, data: { event_id: showId } }),
        path: `/tickets/${ticketId}`,
        expected: { records: [{ provider: 'cope', status: 'issued', eventId: showId }] },
      }),
      'a transaction (LTD deliveries)': () => ({
        provider: 'ltd',
        body: ltdTransaction(booking),
        path: `/deliveries/ltd/${booking}`,
        expected: { status: 'available', deliveryType: 'PrintAtHomeTickets' },
      }),
      'a ticket type (Ingresse inventory)': () => {
        const body = ingresseTicketType();
        const data = body['data'] as JsonObject;
        return {
          provider: 'ingresse',
          body: { ...body, data: { ...data, eventId: ingresseEvent, parent: null } },
          path: `/inventory/ingresse/${String(ingresseEvent)}`,
          expected: { totalQuantity: 100 },
        };
      },
    };

    it.each(Object.keys(cases))(
      'given %s accepted, when read at once with the 202’s position, then the read includes it',
      async (name) => {
        const built = cases[name]?.();
        if (!built) throw new Error(name);
        const answer = await deliver(api, built.provider, JSON.stringify(built.body));
        const position = Number(answer.body['position']);

        const read = await getJson(api, `${built.path}?minPosition=${String(position)}`);

        expect(answer.status).toBe(202);
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject(built.expected);
        expect(Number(field(read.body, 'asOfPosition'))).toBeGreaterThanOrEqual(position);
      },
    );

    it('given a position far beyond the head, when read with it, then 503 problem details after about 5 s', async () => {
      const started = Date.now();

      const answer = await getJson(
        api,
        `/attendance/cope/${names.events.main}?minPosition=${String(head + 1_000_000)}`,
      );

      const waited = Date.now() - started;
      expectProblem(asAnswer(answer), 503);
      expect(waited).toBeGreaterThanOrEqual(4500);
      expect(waited).toBeLessThan(9000);
    }, 15_000);
  });

  describe('the discrepancy list', () => {
    it('given small pages, when following next, then every discrepancy comes once, in id order, as on one big page', async () => {
      const whole = items(field((await read('/discrepancies?limit=1000')).body, 'items'));
      const first = await getJson(api, '/discrepancies?limit=2');

      const paged = await allDiscrepancies(api, '', 2);

      expect(items(field(first.body, 'items'))).toHaveLength(2);
      expect(field(first.body, 'next')).toBe(field(items(field(first.body, 'items'))[1], 'id'));
      expect(paged).toEqual(whole);
      const ids = paged.map((discrepancy) => text(field(discrepancy, 'id')));
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(ids);
    });

    it('given after = an id, then the page starts after it', async () => {
      const whole = items(field((await read('/discrepancies?limit=1000')).body, 'items'));
      const cursor = text(field(whole[4], 'id'));

      const page = await getJson(api, `/discrepancies?limit=3&after=${cursor}`);

      expect(items(field(page.body, 'items'))).toEqual(whole.slice(5, 8));
    });

    it.each([
      ['type=duplicate_scan', (item: Json) => field(item, 'type') === 'duplicate_scan'],
      ['provider=ltd', (item: Json) => field(item, 'provider') === 'ltd'],
      [
        `eventId=${names.events.main}`,
        (item: Json) => field(item, 'eventId') === names.events.main,
      ],
      [
        `type=wrong_event&eventId=${names.events.main}`,
        (item: Json) =>
          field(item, 'type') === 'wrong_event' && field(item, 'eventId') === names.events.main,
      ],
    ])(
      'given the filter %s, then the list holds exactly the matching discrepancies, paged',
      async (filter, matches) => {
        const whole = items(field((await read('/discrepancies?limit=1000')).body, 'items'));

        const filtered = await allDiscrepancies(api, `&${filter}`, 2);

        expect(filtered.length).toBeGreaterThan(0);
        expect(filtered).toEqual(whole.filter(matches));
      },
    );

    it('given the corpus, then the filters find what the corpus provoked', async () => {
      const count = async (filter: string) =>
        (await allDiscrepancies(api, `&${filter}`, 1000)).length;

      expect(await count(`eventId=${names.events.main}`)).toBe(7);
      expect(await count(`eventId=${names.events.other}`)).toBe(1);
      expect(await count(`eventId=${String(names.ltdEvent)}`)).toBe(2);
      expect(await count('provider=ingresse')).toBe(0);
      expect(await count('type=duplicate_barcode&provider=ltd')).toBe(3);
    });
  });

  describe('the OpenAPI document', () => {
    it('when GET /docs-json, then it lists every reconciled read, projection and webhook route, with the answer schemas and query parameters', async () => {
      const answer = await getJson(api, '/docs-json');

      expect(answer.status).toBe(200);
      const paths = field(answer.body, 'paths');
      const routes = Object.entries(
        typeof paths === 'object' && paths !== null && !Array.isArray(paths) ? paths : {},
      ).flatMap(([path, operations]) => keysOf(operations).map((method) => `${method} ${path}`));
      expect(routes).toEqual(
        expect.arrayContaining([
          'get /attendance/cope/{eventId}',
          'get /tickets/{ticketId}',
          'get /deliveries/cope/{ticketId}',
          'get /deliveries/ltd/{bookingReference}',
          'get /inventory/cope/{eventId}',
          'get /inventory/ltd/{performanceId}',
          'get /inventory/ingresse/{eventId}',
          'get /discrepancies',
          'get /projections',
          'get /projections/{name}',
          'post /projections/{name}/rebuild',
          'post /webhooks/{provider}',
          'get /health',
        ]),
      );
      // The three webhook routes are one operation, its provider a documented enum.
      const webhook = field(field(paths, '/webhooks/{provider}'), 'post');
      const provider = items(field(webhook, 'parameters')).find(
        (parameter) => field(parameter, 'name') === 'provider',
      );
      expect(field(field(provider, 'schema'), 'enum')).toEqual(['cope', 'ltd', 'ingresse']);
      const schemas = field(field(answer.body, 'components'), 'schemas');
      const properties = (schema: string) => keysOf(field(field(schemas, schema), 'properties'));
      expect(properties('AttendanceDto')).toEqual(
        expect.arrayContaining(['eventId', 'noShows', 'byGate', 'discrepancies', 'asOfPosition']),
      );
      expect(properties('DiscrepancyPageDto')).toEqual(expect.arrayContaining(['items', 'next']));
      const discrepancies = field(field(paths, '/discrepancies'), 'get');
      expect(items(field(discrepancies, 'parameters')).map((p) => field(p, 'name'))).toEqual(
        expect.arrayContaining(['type', 'provider', 'eventId', 'limit', 'after', 'minPosition']),
      );
    });
  });
});
