// COPE's other CloudEvents HTTP modes (intake.md, "Endpoints"): batches, each element
// handled on its own and keeping its own bytes; and binary mode (`ce-*` headers).
import { createHash } from 'node:crypto';
import type { JsonObject } from '#event-store';
import { expectProblem } from '../support/http-answers.js';
import { getJson } from '../support/reads.js';
import { copeTicketDelivery, stringAt, without } from '../support/intake-fixtures.js';
import {
  eventWithId,
  inStream,
  keptBytes,
  receiptOf,
  receipts,
  storedEvents,
} from '../support/intake-store.js';
import {
  PROVIDER_SECRETS,
  postCope,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

const BATCH = 'application/cloudevents-batch+json';

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function ticketId(event: JsonObject): string {
  return stringAt(event, 'data', 'ticket_id');
}

describe('COPE CloudEvents batch and binary modes', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
  });

  afterAll(async () => {
    await api.dispose();
  });

  describe('given a batch of three: one valid, one contract violation, one duplicate of the first', () => {
    const valid = copeTicketDelivery();
    const violating = copeTicketDelivery();
    const broken = { ...violating, data: without(violating['data'] as JsonObject, 'ticket_id') };
    // Each element written its own way: the receipts must keep each one's own bytes.
    const elements = [
      JSON.stringify(valid),
      JSON.stringify(broken, null, 2),
      JSON.stringify(valid, null, '\t'),
    ];
    const body = `[\n  ${elements[0] ?? ''} ,\n\t${elements[1] ?? ''},\r\n ${elements[2] ?? ''}\n]\n`;

    it('when it is posted, then 200 with one result per element, each with its httpStatus and its own answer', async () => {
      const answer = await postCope(api, body, { contentType: BATCH });

      expect(answer.status).toBe(200);
      const results = answer.body['results'] as Record<string, unknown>[];
      expect(results).toHaveLength(3);
      const [accepted, parked, duplicate] = results;
      expect(accepted).toMatchObject({
        index: 0,
        httpStatus: 202,
        outcome: 'accepted',
        status: 'accepted',
        streamId: `ticket-cope.${ticketId(valid)}`,
        events: ['WebhookReceived', 'TicketDeliveryRequested'],
      });
      // What a 422 alone carries (problem details, receiptId, reason), and its outcome.
      expect(parked).toEqual({
        index: 1,
        httpStatus: 422,
        outcome: 'parked',
        status: 422,
        type: expect.any(String) as unknown,
        title: expect.any(String) as unknown,
        detail: expect.any(String) as unknown,
        errors: [{ pointer: '/data/ticket_id', message: 'ticket_id is required' }],
        receiptId: expect.any(String) as unknown,
        reason: 'contract_violation',
      });
      expect(duplicate).toEqual({
        index: 2,
        httpStatus: 200,
        outcome: 'duplicate',
        status: 'duplicate',
        receiptId: accepted?.['receiptId'],
      });

      const events = await storedEvents(api.dataDir);
      const fromBatch = receipts(events).filter(
        (event) => receiptOf(event).batch?.sha256 === sha256(body),
      );
      expect(fromBatch.map((event) => event.id)).toEqual([
        accepted?.['receiptId'],
        parked?.['receiptId'],
      ]);
      const [first, second] = fromBatch.map(receiptOf);
      expect(first?.batch).toEqual({ sha256: sha256(body), index: 0 });
      expect(keptBytes(first!).toString('utf8')).toBe(elements[0]);
      expect(first?.sha256).toBe(sha256(elements[0] ?? ''));
      expect(eventWithId(events, accepted?.['receiptId']).streamId).toBe(
        `ticket-cope.${ticketId(valid)}`,
      );
      expect(second?.batch).toEqual({ sha256: sha256(body), index: 1 });
      expect(keptBytes(second!).toString('utf8')).toBe(elements[1]);
      expect(second?.sha256).toBe(sha256(elements[1] ?? ''));
      expect(eventWithId(events, parked?.['receiptId']).streamId).toBe('parked-cope');

      // The auditor sees both on each element's receipt: the whole batch's SHA-256, and the
      // element's own, which still matches the bytes kept.
      for (const [index, receiptId] of [accepted?.['receiptId'], parked?.['receiptId']].entries()) {
        const { position } = eventWithId(events, receiptId);
        const audit = await getJson(
          api,
          `/audit/receipts/${String(receiptId)}?minPosition=${String(position)}`,
        );
        expect(audit.status).toBe(200);
        expect(audit.body).toMatchObject({
          sha256: sha256(elements[index] ?? ''),
          sha256Matches: true,
          batch: { sha256: sha256(body), index },
        });
      }
    });

    it('when the whole batch is redelivered, then each element gets its first answer again and nothing is appended', async () => {
      const first = await postCope(api, body, { contentType: BATCH });
      const before = (await storedEvents(api.dataDir)).length;

      const again = await postCope(api, body, { contentType: BATCH });

      const [accepted, parked] = first.body['results'] as Record<string, unknown>[];
      expect(again.status).toBe(200);
      expect(again.body['results']).toEqual([
        {
          index: 0,
          httpStatus: 200,
          outcome: 'duplicate',
          status: 'duplicate',
          receiptId: accepted?.['receiptId'],
        },
        parked,
        {
          index: 2,
          httpStatus: 200,
          outcome: 'duplicate',
          status: 'duplicate',
          receiptId: accepted?.['receiptId'],
        },
      ]);
      expect((await storedEvents(api.dataDir)).length).toBe(before);
    });
  });

  it('given a batch holding an element that is not a CloudEvent, when it is posted, then that element is rejected (400, nothing stored) and the others are handled', async () => {
    const valid = copeTicketDelivery();
    const body = JSON.stringify([{ webhook: 'ticket', data: {} }, valid]);
    const before = (await storedEvents(api.dataDir)).length;

    const answer = await postCope(api, body, { contentType: BATCH });

    expect(answer.status).toBe(200);
    const [rejected, accepted] = answer.body['results'] as Record<string, unknown>[];
    expect(rejected).toEqual({
      index: 0,
      httpStatus: 400,
      outcome: 'rejected',
      status: 400,
      type: expect.any(String) as unknown,
      title: expect.any(String) as unknown,
      detail: expect.any(String) as unknown,
      errors: [{ pointer: '', message: expect.any(String) as unknown }],
    });
    expect(accepted).toMatchObject({ index: 1, httpStatus: 202, status: 'accepted' });
    const events = await storedEvents(api.dataDir);
    // Only the valid element's append: its receipt and its domain event.
    expect(events.length).toBe(before + 2);
    expect(receiptOf(eventWithId(events, accepted?.['receiptId'])).batch).toEqual({
      sha256: sha256(body),
      index: 1,
    });
  });

  it('given the batch content type, when the body is not a JSON array, then 400 problem details and nothing is stored', async () => {
    const before = (await storedEvents(api.dataDir)).length;

    const answer = await postCope(api, JSON.stringify(copeTicketDelivery()), {
      contentType: BATCH,
    });

    expectProblem(answer, 400);
    expect((await storedEvents(api.dataDir)).length).toBe(before);
  });

  describe('given a CloudEvent in binary mode (ce-* headers, the data as an application/json body)', () => {
    function binaryMode(event: JsonObject) {
      return {
        data: JSON.stringify(event['data']),
        headers: {
          'ce-specversion': '1.0',
          'ce-id': stringAt(event, 'id'),
          'ce-source': stringAt(event, 'source'),
          'ce-type': stringAt(event, 'type'),
          'ce-subject': stringAt(event, 'subject'),
          'ce-time': stringAt(event, 'time'),
          'ce-dataschema': stringAt(event, 'dataschema'),
        },
      };
    }

    it('when it is posted, then 202 accepted in ticket-cope.<ticket_id>, the receipt keeping the body and the ce-* headers', async () => {
      const event = copeTicketDelivery({ idempotencyKey: null });
      const { data, headers } = binaryMode(event);

      const answer = await postCope(api, data, { contentType: 'application/json', headers });

      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({
        status: 'accepted',
        streamId: `ticket-cope.${ticketId(event)}`,
        events: ['WebhookReceived', 'TicketDeliveryRequested'],
      });
      const events = await storedEvents(api.dataDir);
      const receipt = receiptOf(eventWithId(events, answer.body['receiptId']));
      expect(keptBytes(receipt).toString('utf8')).toBe(data);
      expect(receipt.messageType).toBe('ticketing.ticket_delivery.requested');
      expect(receipt.headers).toMatchObject({ ...headers, 'content-type': 'application/json' });
      const [, requested] = inStream(events, `ticket-cope.${ticketId(event)}`);
      expect(requested?.metadata['correlationId']).toBe(event['id']);
    });

    it('when its data or headers break the contract, then the 422 points into the body and names the header', async () => {
      const event = copeTicketDelivery({ idempotencyKey: null });
      const { data, headers } = binaryMode(event);
      const withoutRecipient = JSON.parse(data) as JsonObject;
      delete withoutRecipient['recipient'];

      const answer = await postCope(api, JSON.stringify(withoutRecipient), {
        contentType: 'application/json',
        headers: { ...headers, 'ce-time': 'yesterday' },
      });

      expectProblem(answer, 422);
      const errors = answer.body['errors'] as { pointer: string; message: string }[];
      expect(errors).toContainEqual({
        pointer: '/recipient',
        message: expect.any(String) as unknown,
      });
      expect(errors).toContainEqual({
        pointer: '',
        message: expect.stringMatching(/^ce-time header: /) as unknown,
      });
    });

    it('when the same CloudEvent then arrives in structured mode, then it is a duplicate of the binary-mode receipt', async () => {
      const event = copeTicketDelivery({ idempotencyKey: null });
      const { data, headers } = binaryMode(event);
      const binary = await postCope(api, data, { contentType: 'application/json', headers });

      const structured = await postCope(api, JSON.stringify(event));

      expect(binary.status).toBe(202);
      expect(structured.status).toBe(200);
      expect(structured.body).toEqual({ status: 'duplicate', receiptId: binary.body['receiptId'] });
    });
  });
});
