// Projections over HTTP (api.md, "Projections"): their states, and a blue/green rebuild
// started by POST /projections/{name}/rebuild while reads keep answering.
import { PROJECTIONS } from '#read-models';
import { COPE_CHECK_IN_CREATED_EXAMPLE, COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE } from '#testing';
import { expectProblem } from '../support/http-answers.js';
import { jsonCopy, unique } from '../support/intake-fixtures.js';
import {
  PROVIDER_SECRETS,
  postCope,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';
import {
  asAnswer,
  canonical,
  field,
  getJson,
  items,
  text,
  waitForReadModels,
  type Json,
} from '../support/reads.js';

/** Every read model the service runs. */
const NAMES = PROJECTIONS.map((projection) => projection.name);
const EVENTS = 4;
const BATCHES = 60;
const BATCH_SIZE = 100;

/**
 * A COPE CloudEvents batch: for each of `size / 2` tickets, its delivery request and a
 * check-in, spread over {@link EVENTS} events.
 */
function batchOfDeliveries(run: string, batch: number, size: number): string {
  const elements = Array.from({ length: size }, (_, index) => {
    const ticket = Math.floor(index / 2);
    const example = jsonCopy(
      index % 2 === 0 ? COPE_CHECK_IN_CREATED_EXAMPLE : COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE,
    );
    const id = `${run}.${String(batch)}.${String(index)}`;
    return {
      ...example,
      id,
      idempotency_key: `idem-${id}`,
      data: {
        ...(example['data'] as Record<string, Json>),
        ticket_id: `${run}.${String(batch)}-ticket-${String(ticket)}`,
        event_id: `${run}-event-${String(ticket % EVENTS)}`,
        check_in_id: `ci-${id}`,
        ticket_delivery_id: `del-${id}`,
        gate: `Gate ${String(ticket % 3)}`,
      },
    };
  });
  return JSON.stringify(elements);
}

describe('projections over HTTP', () => {
  let api: RunningLedgerApi;
  const run = unique('rebuild');

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
    // Enough of a log for a rebuild to take a moment: batches of CloudEvents, in parallel.
    const answers = await Promise.all(
      Array.from({ length: BATCHES }, (_, batch) =>
        postCope(api, batchOfDeliveries(run, batch, BATCH_SIZE), {
          contentType: 'application/cloudevents-batch+json',
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array<number>(BATCHES).fill(200));
    const head = Math.max(
      ...answers.flatMap((answer) =>
        items(answer.body['results'] as Json).map((result) => Number(field(result, 'position'))),
      ),
    );
    await waitForReadModels(api, head, 30_000);
  }, 60_000);

  afterAll(async () => {
    await api.dispose();
  });

  it('given the read models caught up, when GET /projections, then each has name, version, status, checkpoint, headPosition and lag', async () => {
    const answer = await getJson(api, '/projections');

    expect(answer.status).toBe(200);
    const states = items(answer.body);
    expect(states.map((state) => field(state, 'name'))).toEqual(NAMES);
    expect(NAMES).toEqual(
      expect.arrayContaining(['tickets', 'attendance', 'delivery', 'inventory']),
    );
    for (const state of states) {
      expect(state).toMatchObject({
        version: expect.any(Number) as unknown,
        status: 'live',
        checkpoint: expect.any(Number) as unknown,
        headPosition: expect.any(Number) as unknown,
        lag: 0,
      });
      expect(field(state, 'checkpoint')).toBe(field(state, 'headPosition'));
      expect(Number(field(state, 'headPosition'))).toBeGreaterThan(BATCHES * BATCH_SIZE);
    }
  });

  it('when GET /projections/{name}, then one item of the list, with rebuild null while none ever ran; an unknown name is a 404 problem, to read or to rebuild', async () => {
    const one = await getJson(api, '/projections/inventory');
    const list = await getJson(api, '/projections');
    const unknown = await getJson(api, '/projections/nonsense');
    const rebuildUnknown = await fetch(`${api.url}/projections/nonsense/rebuild`, {
      method: 'POST',
    });

    expect(one.status).toBe(200);
    const item = items(list.body).find((state) => field(state, 'name') === 'inventory');
    expect(one.body).toEqual({ ...(item as Record<string, Json>), rebuild: null });
    expect(one.body).toMatchObject({ name: 'inventory', status: 'live', lag: 0 });
    expectProblem(asAnswer(unknown), 404);
    expect(rebuildUnknown.status).toBe(404);
    expect(rebuildUnknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('given a few thousand deliveries, when two rebuilds of attendance are asked for at once, then exactly one is accepted (202 {rebuildId}) and the other is a 409 problem; reads answer the same during and after; the progress ends at 100 %', async () => {
    const events = Array.from({ length: EVENTS }, (_, index) => `${run}-event-${String(index)}`);
    const read = async () =>
      Promise.all(
        [
          ...events.map((eventId) => `/attendance/cope/${eventId}`),
          `/tickets/${run}.0-ticket-0`,
        ].map(async (path) => getJson(api, path)),
      );
    const before = await read();
    expect(before.map((answer) => answer.status)).toEqual(Array<number>(EVENTS + 1).fill(200));
    const ticketsOfEvent0 = Array.from({ length: BATCH_SIZE / 2 }, (_, ticket) => ticket).filter(
      (ticket) => ticket % EVENTS === 0,
    ).length;
    expect(before[0]?.body).toMatchObject({
      checkIns: BATCHES * ticketsOfEvent0,
      expectedTickets: BATCHES * ticketsOfEvent0,
      noShows: 0,
      unknownTickets: 0,
    });

    const rebuild = () => fetch(`${api.url}/projections/attendance/rebuild`, { method: 'POST' });
    const answers = await Promise.all([rebuild(), rebuild()]);
    const bodies = await Promise.all(answers.map(async (answer) => (await answer.json()) as Json));

    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
    const accepted = bodies[answers.findIndex((answer) => answer.status === 202)] ?? null;
    const refused = answers.find((answer) => answer.status === 409);
    const rebuildId = field(accepted, 'rebuildId');
    expect(rebuildId).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused?.headers.get('content-type')).toMatch(/^application\/problem\+json/);

    // While it runs: the live build answers, and progress is reported.
    const seen: Json[] = [];
    const readsDuring: Awaited<ReturnType<typeof read>>[] = [];
    for (const deadline = Date.now() + 20_000; ;) {
      const state = (await getJson(api, '/projections/attendance')).body;
      seen.push(state);
      if (typeof field(field(state, 'rebuild'), 'finishedAt') === 'string') break;
      readsDuring.push(await read());
      if (Date.now() > deadline) throw new Error(`the rebuild did not finish: ${text(state)}`);
    }

    const running = seen[0] ?? null;
    expect(running).toMatchObject({
      name: 'attendance',
      status: 'rebuilding',
      rebuild: { rebuildId, finishedAt: null },
    });
    expect(Number(field(field(running, 'rebuild'), 'percent'))).toBeLessThan(100);
    expect(readsDuring.length).toBeGreaterThan(0);
    for (const during of readsDuring) {
      expect(during.map((answer) => canonical(answer.body))).toEqual(
        before.map((answer) => canonical(answer.body)),
      );
    }

    const finished = seen[seen.length - 1] ?? null;
    const progress = field(finished, 'rebuild');
    expect(finished).toMatchObject({ name: 'attendance', status: 'live', lag: 0 });
    expect(progress).toMatchObject({
      rebuildId,
      percent: 100,
      startedAt: expect.any(String) as unknown,
      finishedAt: expect.any(String) as unknown,
    });
    expect(Number(field(progress, 'processed'))).toBeGreaterThanOrEqual(
      Number(field(progress, 'total')),
    );
    expect(Date.parse(text(field(progress, 'finishedAt')))).toBeGreaterThanOrEqual(
      Date.parse(text(field(progress, 'startedAt'))),
    );

    const after = await read();
    expect(after.map((answer) => canonical(answer.body))).toEqual(
      before.map((answer) => canonical(answer.body)),
    );
  }, 60_000);
});
