// An auditor's questions over HTTP: what exactly did we receive about ticket X, when,
// and what did we conclude — receipts byte for byte, streams, the log, parked
// deliveries, the export and the checkpoints.
import { createHash } from 'node:crypto';
import { IntegrityCheckpointer } from '#audit';
import { LTD_PERFORMANCE_CHANGED_EXAMPLE } from '#testing';
import { expectProblem } from '../support/http-answers.js';
import {
  copeCheckIn,
  copeTicketDelivery,
  ltdTransaction,
  unique,
} from '../support/intake-fixtures.js';
import { storedEvents } from '../support/intake-store.js';
import {
  PROVIDER_SECRETS,
  postCope,
  postLtd,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';
import { postNoBody } from '../support/http-answers.js';

type JsonRecord = Record<string, unknown>;

interface Got {
  readonly status: number;
  readonly headers: Headers;
  readonly body: JsonRecord;
}

async function get(api: RunningLedgerApi, path: string): Promise<Got> {
  const response = await fetch(`${api.url}${path}`);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? {} : (JSON.parse(text) as JsonRecord),
  };
}

function eventsOf(value: unknown): JsonRecord[] {
  return Array.isArray(value) ? (value as JsonRecord[]) : [];
}

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('the audit trail of a ticket', () => {
  let api: RunningLedgerApi;
  const ticketId = unique('T');
  const bookingReference = unique('BK');
  // Unusual but valid bytes: spacing, a non-ASCII name, a trailing newline.
  const delivery =
    JSON.stringify(copeTicketDelivery({ ticketId }), null, 1).replace(
      '"ticket_id"',
      '  "ticket_id"',
    ) + '\n';
  const checkIn = JSON.stringify(copeCheckIn({ ticketId }));
  const unknownType = JSON.stringify({
    ...LTD_PERFORMANCE_CHANGED_EXAMPLE,
    MessageType: 'BasketAbandoned',
  });
  const broken = JSON.stringify({ ...LTD_PERFORMANCE_CHANGED_EXAMPLE, Payload: { EventId: 'x' } });
  let deliveryReceipt: string;
  let checkInReceipt: string;
  let parkedReceipt: string;
  let head: number;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
    const first = await postCope(api, delivery);
    expect(first.status).toBe(202);
    deliveryReceipt = String(first.body['receiptId']);
    // The same delivery again (a new webhook-id and signature): a redelivery, counted.
    expect((await postCope(api, delivery)).status).toBe(200);
    const second = await postCope(api, checkIn);
    checkInReceipt = String(second.body['receiptId']);
    expect((await postLtd(api, JSON.stringify(ltdTransaction(bookingReference)))).status).toBe(202);
    const parked = await postLtd(api, unknownType);
    expect(parked.body['status']).toBe('parked');
    parkedReceipt = String(parked.body['receiptId']);
    expect((await postLtd(api, broken)).status).toBe(422);
    expect((await postNoBody(`${api.url}/admin/parked/${parkedReceipt}/reprocess`)).status).toBe(
      200,
    );
    head = (await storedEvents(api.dataDir)).at(-1)?.position ?? 0;
  });

  afterAll(async () => {
    await api.dispose();
  });

  it('given a COPE ticket delivered and checked in, when the auditor reads /audit/tickets/{code}, then its stream comes back whole, receipts and conclusions, as stored', async () => {
    const answer = await get(api, `/audit/tickets/${ticketId}?minPosition=${String(head)}`);

    expect(answer.status).toBe(200);
    expect(answer.body['ticketId']).toBe(ticketId);
    expect(answer.body['asOfPosition']).toBeGreaterThanOrEqual(head);
    const [stream, ...others] = eventsOf(answer.body['streams']);
    expect(others).toEqual([]);
    expect(stream?.['streamId']).toBe(`ticket-cope.${ticketId}`);
    const events = eventsOf(stream?.['events']);
    expect(events.map((event) => [event['revision'], event['type']])).toEqual([
      [0, 'WebhookReceived'],
      [1, 'TicketDeliveryRequested'],
      [2, 'WebhookReceived'],
      [3, 'TicketCheckedIn'],
    ]);
    expect(events[0]).toMatchObject({ eventId: deliveryReceipt, data: { rawBody: delivery } });
    expect(events[1]?.['metadata']).toMatchObject({
      causationId: deliveryReceipt,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual([
        'data',
        'eventId',
        'metadata',
        'position',
        'recordedAt',
        'revision',
        'streamId',
        'type',
      ]);
    }
  });

  it('given an LTD booking, when the auditor reads a barcode, then the booking stream that records it', async () => {
    const answer = await get(api, `/audit/tickets/23017425?minPosition=${String(head)}`);

    expect(answer.status).toBe(200);
    const streams = eventsOf(answer.body['streams']);
    expect(streams.map((stream) => stream['streamId'])).toEqual([
      `booking-ltd.${bookingReference}`,
    ]);
    expect(eventsOf(streams[0]?.['events']).map((event) => event['type'])).toContain(
      'BookingTicketIssued',
    );
  });

  it('given a receipt, when the auditor reads it, then the delivery as received — raw body byte for byte — what it caused and how often it came again', async () => {
    const answer = await get(api, `/audit/receipts/${deliveryReceipt}?minPosition=${String(head)}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      receiptId: deliveryReceipt,
      streamId: `ticket-cope.${ticketId}`,
      revision: 0,
      provider: 'cope',
      messageType: 'ticketing.ticket_delivery.requested',
      signatureVerified: true,
      rawBody: delivery,
      rawBodyEncoding: 'utf8',
      sha256: sha256(delivery),
      sha256Matches: true,
      outcome: { status: 'accepted' },
      redeliveries: { count: 1, lastSeen: expect.any(String) as unknown },
    });
    expect(answer.body['headers']).toMatchObject({
      'content-type': 'application/cloudevents+json',
      'webhook-id': expect.any(String) as unknown,
    });
    expect(Date.parse(String(answer.body['receivedAt']))).not.toBeNaN();
    expect(
      eventsOf(answer.body['events']).map((event) => [event['type'], event['revision']]),
    ).toEqual([['TicketDeliveryRequested', 1]]);

    const checkInAnswer = await get(api, `/audit/receipts/${checkInReceipt}`);
    expect(checkInAnswer.body).toMatchObject({
      revision: 2,
      rawBody: checkIn,
      sha256Matches: true,
    });
    expect(
      eventsOf(checkInAnswer.body['events']).map((event) => [event['type'], event['revision']]),
    ).toEqual([['TicketCheckedIn', 3]]);
    expect(checkInAnswer.body['redeliveries']).toEqual({ count: 0, lastSeen: null });

    const raw = await fetch(`${api.url}/audit/receipts/${deliveryReceipt}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await raw.arrayBuffer()).equals(Buffer.from(delivery, 'utf8'))).toBe(true);
  });

  it('given a parked delivery run again, when the auditor reads its receipt, then parked with its reason, and the attempt, unresolved', async () => {
    const answer = await get(api, `/audit/receipts/${parkedReceipt}?minPosition=${String(head)}`);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      streamId: 'parked-ltd',
      rawBody: unknownType,
      outcome: { status: 'parked', parkedReason: 'unsupported_type', resolved: false },
      events: [],
    });
    const outcome = answer.body['outcome'] as JsonRecord;
    expect(eventsOf(outcome['reprocessing']).map((event) => event['data'])).toEqual([
      expect.objectContaining({ parkedReceiptId: parkedReceipt, outcome: 'parked' }),
    ]);
  });

  it('given unknown ids, then 404 problem details', async () => {
    expectProblem(await get(api, '/audit/receipts/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await get(api, `/audit/tickets/${unique('nobody')}`), 404);
    expectProblem(await get(api, '/audit/streams/ticket-cope.nobody'), 404);
  });

  it('given a stream read in pages, then oldest first, `next` leads on, and the pages make the stream', async () => {
    const stream = `ticket-cope.${ticketId}`;
    const first = await get(api, `/audit/streams/${stream}?limit=3`);
    const second = await get(
      api,
      `/audit/streams/${stream}?limit=3&fromRevision=${String(first.body['next'])}`,
    );

    expect(first.status).toBe(200);
    expect(first.body['streamId']).toBe(stream);
    expect(eventsOf(first.body['events']).map((event) => event['revision'])).toEqual([0, 1, 2]);
    expect(first.body['next']).toBe(3);
    expect(eventsOf(second.body['events']).map((event) => event['revision'])).toEqual([3]);
    expect(second.body['next']).toBeNull();
  });

  it('given bad paging parameters, then 400 problem details naming each', async () => {
    const answer = await get(api, `/audit/streams/ticket-cope.${ticketId}?limit=0&fromRevision=-1`);

    expectProblem(answer, 400);
    expect(answer.body['errors']).toEqual([
      expect.objectContaining({ pointer: '/query/fromRevision' }),
      expect.objectContaining({ pointer: '/query/limit' }),
    ]);
    expectProblem(await get(api, '/audit/log?limit=1001'), 400);
    expectProblem(await get(api, '/audit/log?afterPosition=abc'), 400);
    expectProblem(await get(api, '/audit/log?type=not%20a%20type'), 400);
    expectProblem(await get(api, '/audit/parked?reason=tired'), 400);
    expectProblem(await get(api, '/audit/parked?provider=eventbrite'), 400);
    expectProblem(await get(api, '/audit/export?fromPosition=5&toPosition=4'), 400);
  });

  it('given the global log, when read in pages, then commit order, every event once; without a limit, this short log in one page', async () => {
    const stored = await storedEvents(api.dataDir);
    const pages: JsonRecord[] = [];
    let after = 0;
    for (let page = 0; page < 100; page += 1) {
      const answer = await get(api, `/audit/log?afterPosition=${String(after)}&limit=4`);
      pages.push(...eventsOf(answer.body['events']));
      if (answer.body['next'] === null) break;
      after = Number(answer.body['next']);
    }
    const whole = await get(api, '/audit/log');

    expect(pages.map((event) => event['position'])).toEqual(stored.map((event) => event.position));
    expect(pages.map((event) => event['eventId'])).toEqual(stored.map((event) => event.id));
    expect(eventsOf(whole.body['events'])).toHaveLength(stored.length);
    expect(whole.body['next']).toBeNull();
  });

  it('given a type filter, then only that type, in pages that skip what does not match', async () => {
    const receipts = (await storedEvents(api.dataDir)).filter(
      (event) => event.type === 'WebhookReceived',
    );
    const found: JsonRecord[] = [];
    let after = 0;
    for (let page = 0; page < 100; page += 1) {
      const answer = await get(
        api,
        `/audit/log?type=WebhookReceived&limit=2&afterPosition=${String(after)}`,
      );
      const events = eventsOf(answer.body['events']);
      expect(events.length).toBeLessThanOrEqual(2);
      found.push(...events);
      if (answer.body['next'] === null) break;
      after = Number(answer.body['next']);
    }
    const checkIns = await get(api, '/audit/log?type=TicketCheckedIn');

    expect(found.map((event) => event['eventId'])).toEqual(receipts.map((event) => event.id));
    expect(eventsOf(checkIns.body['events']).map((event) => event['type'])).toEqual([
      'TicketCheckedIn',
    ]);
    expect(checkIns.body['next']).toBeNull();
  });

  it('given parked deliveries, then each with its reason, errors and resolution, filtered and paged', async () => {
    const all = await get(api, '/audit/parked');
    const violations = await get(api, '/audit/parked?provider=ltd&reason=contract_violation');
    const cope = await get(api, '/audit/parked?provider=cope');
    const first = await get(api, '/audit/parked?limit=1');
    const second = await get(api, `/audit/parked?limit=1&after=${String(first.body['next'])}`);

    const items = eventsOf(all.body['items']);
    expect(items.map((item) => [item['receiptId'], item['reason'], item['resolved']])).toEqual([
      [parkedReceipt, 'unsupported_type', false],
      [expect.any(String), 'contract_violation', false],
    ]);
    expect(items[0]?.['lastAttempt']).toMatchObject({ outcome: 'parked' });
    const [violation] = eventsOf(violations.body['items']);
    expect(eventsOf(violation?.['errors']).length).toBeGreaterThan(0);
    expect(eventsOf(violations.body['items'])).toHaveLength(1);
    expect(cope.body).toEqual({ items: [], next: null });
    expect(eventsOf(first.body['items']).map((item) => item['receiptId'])).toEqual([parkedReceipt]);
    expect(eventsOf(second.body['items'])).toEqual([items[1]]);
    expect(second.body['next']).toBeNull();
  });

  it('given the export, then NDJSON: every event once, in position order, and a range on request', async () => {
    const stored = await storedEvents(api.dataDir);
    const response = await fetch(`${api.url}/audit/export`);
    const lines = (await response.text()).split('\n');
    const ranged = await fetch(`${api.url}/audit/export?fromPosition=2&toPosition=4`);
    const rangedLines = (await ranged.text()).trimEnd().split('\n');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(lines.pop()).toBe('');
    const events = lines.map((line) => JSON.parse(line) as JsonRecord);
    expect(events.map((event) => event['position'])).toEqual(stored.map((event) => event.position));
    expect(events[0]).toMatchObject({
      eventId: stored[0]?.id,
      streamId: stored[0]?.streamId,
      data: stored[0]?.data,
      metadata: stored[0]?.metadata,
    });
    expect(rangedLines.map((line) => (JSON.parse(line) as JsonRecord)['position'])).toEqual([
      2, 3, 4,
    ]);
  });

  it('given a checkpoint taken, then /audit/checkpoints lists it as stored and /audit/verify finds all intact', async () => {
    const result = await api.app.get(IntegrityCheckpointer).checkpointNow({ waitMs: 5000 });

    const checkpoints = await get(api, '/audit/checkpoints');
    const verify = await get(api, '/audit/verify');
    const one = await get(api, `/audit/verify?streamId=ticket-cope.${ticketId}`);

    expect(result.appended).toBe(true);
    const [checkpoint, ...more] = eventsOf(checkpoints.body['items']);
    expect(more).toEqual([]);
    expect(checkpoint).toMatchObject({
      streamId: 'audit-checkpoints',
      type: 'IntegrityCheckpoint',
      revision: 0,
      data: { position: result.position, merkleRoot: result.merkleRoot, part: 1, parts: 1 },
    });
    expect(Object.keys((checkpoint?.['data'] as JsonRecord)['heads'] as JsonRecord)).toContain(
      `ticket-cope.${ticketId}`,
    );
    expect(checkpoints.body['next']).toBeNull();
    expect(verify.body).toMatchObject({
      ok: true,
      problems: [],
      checkpoint: { position: result.position, merkleRoot: result.merkleRoot },
    });
    expect(verify.body['eventsChecked']).toBe((await storedEvents(api.dataDir)).length);
    expect(one.body).toMatchObject({ ok: true, eventsChecked: 4, streamsChecked: 1 });
    expectProblem(await get(api, '/audit/verify?streamId=ticket-cope.nobody'), 404);
  });
});
