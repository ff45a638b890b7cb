// POST /admin/parked/{receiptId}/reprocess over HTTP (intake.md, "Parking and reprocessing").
// Reprocessing by newer code is shown at the class level: webhook-intake.int-spec.ts.
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '#event-store';
import type { ParkedDeliveryReprocessed } from '#ledger';
import { expectProblem, postNoBody } from '../support/http-answers.js';
import { copeTicketDelivery, without } from '../support/intake-fixtures.js';
import { inStream, receipts, storedEvents } from '../support/intake-store.js';
import {
  PROVIDER_SECRETS,
  postCope,
  postLtd,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

describe('reprocessing a parked delivery over HTTP', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
  });

  afterAll(async () => {
    await api.dispose();
  });

  const reprocess = (receiptId: unknown) =>
    postNoBody(`${api.url}/admin/parked/${String(receiptId)}/reprocess`);

  async function reprocessRecords(streamId: string, parkedReceiptId: unknown) {
    return inStream(await storedEvents(api.dataDir), streamId)
      .filter((event) => event.type === 'ParkedDeliveryReprocessed')
      .map((event) => event.data as unknown as ParkedDeliveryReprocessed)
      .filter((record) => record.parkedReceiptId === parkedReceiptId);
  }

  function brokenTicketDelivery(event = copeTicketDelivery()): JsonObject {
    return { ...event, data: without(event['data'] as JsonObject, 'recipient') };
  }

  it('given a receipt id no delivery has, when it is reprocessed, then 404 problem details', async () => {
    expectProblem(await reprocess(randomUUID()), 404);
  });

  it('given the receipt id of an accepted delivery, when it is reprocessed, then 404 problem details (only parked deliveries are reprocessed)', async () => {
    const accepted = await postCope(api, JSON.stringify(copeTicketDelivery()));
    expect(accepted.status).toBe(202);

    expectProblem(await reprocess(accepted.body['receiptId']), 404);
  });

  it('given a COPE delivery parked for a contract violation, when it is reprocessed, then it is still parked with its reason and errors, and a ParkedDeliveryReprocessed is recorded in parked-cope', async () => {
    const parked = await postCope(api, JSON.stringify(brokenTicketDelivery()));
    expect(parked.status).toBe(422);
    const receiptId = parked.body['receiptId'];

    const answer = await reprocess(receiptId);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      parkedReceiptId: receiptId,
      status: 'parked',
      receiptId,
      reason: 'contract_violation',
      errors: parked.body['errors'],
    });
    expect(await reprocessRecords('parked-cope', receiptId)).toEqual([
      {
        parkedReceiptId: receiptId,
        outcome: 'parked',
        parkedReason: 'contract_violation',
        errors: parked.body['errors'],
      },
    ]);
    const parkedReceipts = receipts(inStream(await storedEvents(api.dataDir), 'parked-cope'));
    expect(parkedReceipts.filter((event) => event.id === receiptId)).toHaveLength(1);
  });

  it('given an LTD delivery parked as unsupported_type, when it is reprocessed by the same code, then it is still parked as unsupported_type and the attempt is recorded in parked-ltd', async () => {
    const body = {
      MessageType: 'VoucherRedeemed',
      Payload: { VoucherCode: randomUUID() },
      Timestamp: '2024-03-05T08:26:11.1451352Z',
    };
    const parked = await postLtd(api, JSON.stringify(body));
    expect(parked.body['status']).toBe('parked');

    const answer = await reprocess(parked.body['receiptId']);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      parkedReceiptId: parked.body['receiptId'],
      status: 'parked',
      receiptId: parked.body['receiptId'],
      reason: 'unsupported_type',
    });
    expect(await reprocessRecords('parked-ltd', parked.body['receiptId'])).toEqual([
      {
        parkedReceiptId: parked.body['receiptId'],
        outcome: 'parked',
        parkedReason: 'unsupported_type',
      },
    ]);
  });

  it('given two COPE deliveries parked under one source+id with different bodies, when each is reprocessed, then each has its own receipt id and is judged on its own body', async () => {
    const event = copeTicketDelivery();
    const first = brokenTicketDelivery(event);
    const resend = { ...first, data: without(first['data'] as JsonObject, 'attendee') };
    const parkedFirst = await postCope(api, JSON.stringify(first));
    const parkedResend = await postCope(api, JSON.stringify(resend));
    expect(parkedResend.body['receiptId']).not.toBe(parkedFirst.body['receiptId']);

    const answers = [
      await reprocess(parkedFirst.body['receiptId']),
      await reprocess(parkedResend.body['receiptId']),
    ];

    expect(answers.map((answer) => answer.body['errors'])).toEqual([
      [{ pointer: '/data/recipient', message: 'recipient is required' }],
      [
        { pointer: '/data/attendee', message: 'attendee is required' },
        { pointer: '/data/recipient', message: 'recipient is required' },
      ],
    ]);
  });
});
