// WebhookIntake on a real SQLite store: parking by older code and reprocessing by newer
// code (intake.md, "Parking and reprocessing"), and deduplication across two instances.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { SqliteEventStore, type EventStore, type JsonObject } from '#event-store';
import {
  LedgerWriter,
  type ParkedDeliveryReprocessed,
  type Provider,
  type WebhookReceived,
} from '#ledger';
import { COPE_CHECK_IN_CREATED_EXAMPLE, LTD_EVENT_CHANGED_EXAMPLE } from '#testing';
import { createWebhookAuthenticator, type WebhookAuthenticator } from '../authentication/index.js';
import { checkCopeEvent, checkLtdMessage } from '../providers/index.js';
import type { PayloadCheck } from '../validation/index.js';
import type { IncomingDelivery } from './intake-result.js';
import { ParkedDeliveriesView, readParkedDeliveries } from './parked-log.js';
import { RedeliveryLog } from './redelivery-log.js';
import { WebhookIntake, type WebhookIntakeDependencies } from './webhook-intake.js';

const COPE_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const LTD_TOKEN = 'ltd-integration-token';
const CHECK_IN = 'ticketing.check_in.created';
const EVENT_CHANGED = 'EventChanged';

function authenticators(): Record<Provider, WebhookAuthenticator> {
  const settings = { signatureHeader: 'x-signature', toleranceSeconds: 300 };
  return {
    cope: createWebhookAuthenticator({
      ...settings,
      scheme: 'standard-webhooks',
      secrets: [COPE_SECRET],
    }),
    ltd: createWebhookAuthenticator({ ...settings, scheme: 'token', secrets: [LTD_TOKEN] }),
    ingresse: createWebhookAuthenticator({ ...settings, scheme: 'token', secrets: [] }),
  };
}

/** "Older code": it does not know `ticketing.check_in.created` yet. */
function copeCheckWithoutCheckIns(body: unknown): PayloadCheck<unknown> {
  const check = checkCopeEvent(body);
  return check.outcome === 'valid' && check.messageType === CHECK_IN
    ? { outcome: 'unsupported_type', messageType: CHECK_IN }
    : check;
}

/** "Older code": it does not know LTD `EventChanged` yet. */
function ltdCheckWithoutEventChanged(body: unknown): PayloadCheck<unknown> {
  const check = checkLtdMessage(body);
  return check.outcome === 'valid' && check.messageType === EVENT_CHANGED
    ? { outcome: 'unsupported_type', messageType: EVENT_CHANGED }
    : check;
}

/** A COPE CloudEvent in structured mode, signed by the reference signer. */
function copeDelivery(event: JsonObject): IncomingDelivery {
  const body = JSON.stringify(event);
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  return {
    provider: 'cope',
    headers: {
      'content-type': 'application/cloudevents+json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(COPE_SECRET).sign(id, now, body),
    },
    query: {},
    rawBody: Buffer.from(body),
  };
}

function ltdDelivery(message: JsonObject): IncomingDelivery {
  return {
    provider: 'ltd',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${LTD_TOKEN}` },
    query: {},
    rawBody: Buffer.from(JSON.stringify(message)),
  };
}

function newCheckIn(): JsonObject {
  const example = JSON.parse(JSON.stringify(COPE_CHECK_IN_CREATED_EXAMPLE)) as JsonObject;
  const id = `evt-${randomUUID()}`;
  return {
    ...example,
    id,
    idempotency_key: `idem-${id}`,
    data: { ...(example['data'] as JsonObject), ticket_id: `ticket-${randomUUID()}` },
  };
}

function ticketStream(event: JsonObject): string {
  const ticketId = (event['data'] as JsonObject)['ticket_id'];
  if (typeof ticketId !== 'string') throw new Error('a check-in has a string ticket_id');
  return `ticket-cope.${ticketId}`;
}

describe('WebhookIntake on a SQLite store', () => {
  let dir: string;
  let store: SqliteEventStore;
  let redeliveries: RedeliveryLog;
  let dataKey: Buffer;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-intake-int-'));
    store = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    redeliveries = RedeliveryLog.open(join(dir, 'intake.sqlite'));
    dataKey = randomBytes(32);
  });

  afterEach(async () => {
    await store.close();
    redeliveries.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** An intake as one version of the code builds it: its own writer, the given checks. */
  function intake(
    checks?: WebhookIntakeDependencies['checks'],
    on: EventStore = store,
  ): WebhookIntake {
    return new WebhookIntake({
      store: on,
      writer: new LedgerWriter(on),
      authenticators: authenticators(),
      redeliveries,
      dataKey,
      ...(checks ? { checks } : {}),
    });
  }

  async function receiptsIn(streamId: string) {
    return (await store.readStream(streamId)).filter((event) => event.type === 'WebhookReceived');
  }

  async function reprocessRecords(streamId: string): Promise<ParkedDeliveryReprocessed[]> {
    return (await store.readStream(streamId))
      .filter((event) => event.type === 'ParkedDeliveryReprocessed')
      .map((event) => event.data as unknown as ParkedDeliveryReprocessed);
  }

  describe('given a COPE check-in parked as unsupported_type by older code', () => {
    let checkIn: JsonObject;
    let parkedReceiptId: string;
    let olderCode: WebhookIntake;

    beforeEach(async () => {
      checkIn = newCheckIn();
      olderCode = intake({ cope: copeCheckWithoutCheckIns });
      const parked = await olderCode.receive(copeDelivery(checkIn));
      if (parked.kind !== 'parked') throw new Error(`expected parked, got ${parked.kind}`);
      expect(parked.reason).toBe('unsupported_type');
      parkedReceiptId = parked.receiptId;
    });

    it('when older code receives it again, then it answers the same parked receipt and parks nothing more', async () => {
      const again = await olderCode.receive(copeDelivery(checkIn));

      expect(again).toEqual({
        kind: 'parked',
        receiptId: parkedReceiptId,
        reason: 'unsupported_type',
      });
      expect((await receiptsIn('parked-cope')).map((event) => event.id)).toEqual([parkedReceiptId]);
    });

    it('when newer code reprocesses it on the same store, then it is applied with a receipt of its own that names the parked one, and the parked log records the outcome', async () => {
      const newerCode = intake();

      const result = await newerCode.reprocessParked(parkedReceiptId);

      if (result?.kind !== 'accepted') throw new Error(`expected accepted, got ${result?.kind}`);
      expect(result.streamId).toBe(ticketStream(checkIn));
      expect(result.events).toEqual(['WebhookReceived', 'TicketCheckedIn']);
      expect(result.receiptId).not.toBe(parkedReceiptId);

      const [receipt, checkedIn, ...rest] = await store.readStream(ticketStream(checkIn));
      expect(rest).toEqual([]);
      expect(receipt?.id).toBe(result.receiptId);
      const received = receipt?.data as unknown as WebhookReceived;
      expect(received).toMatchObject({
        outcome: 'accepted',
        reprocessOf: parkedReceiptId,
        messageType: CHECK_IN,
        rawBody: JSON.stringify(checkIn),
        signatureVerified: true,
      });
      expect(checkedIn?.type).toBe('TicketCheckedIn');
      expect(checkedIn?.metadata).toMatchObject({
        causationId: result.receiptId,
        correlationId: checkIn['id'],
      });
      expect(await reprocessRecords('parked-cope')).toEqual([
        {
          parkedReceiptId,
          outcome: 'accepted',
          receiptId: result.receiptId,
          streamId: ticketStream(checkIn),
        },
      ]);
    });

    it('given the parked deliveries view read before the reprocess, when read after it, then it shows the delivery resolved, having read only what the parked log gained', async () => {
      let eventsRead = 0;
      const counting = new Proxy(store, {
        get(target, property, receiver) {
          if (property === 'readStream') {
            return async (...args: Parameters<EventStore['readStream']>) => {
              const events = await target.readStream(...args);
              eventsRead += events.length;
              return events;
            };
          }
          const value: unknown = Reflect.get(target, property, receiver);
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      });
      const view = new ParkedDeliveriesView(counting);
      expect(await view.read(['cope'])).toMatchObject([
        { receiptId: parkedReceiptId, reason: 'unsupported_type', resolved: false },
      ]);
      const readFirst = eventsRead;

      await intake().reprocessParked(parkedReceiptId);
      const after = await view.read(['cope']);

      expect(after).toMatchObject([
        { receiptId: parkedReceiptId, resolved: true, lastAttempt: { outcome: 'accepted' } },
      ]);
      expect(readFirst).toBe(1);
      expect(eventsRead - readFirst).toBe(1);
      expect(after).toEqual(await readParkedDeliveries(store, ['cope']));
    });

    it('when it is redelivered after newer code reprocessed it, then newer and older code alike answer a duplicate of the reprocessed receipt, appending nothing', async () => {
      const newerCode = intake();
      const reprocessed = await newerCode.reprocessParked(parkedReceiptId);
      if (reprocessed?.kind !== 'accepted') throw new Error('expected the reprocess to apply');
      const head = await store.headPosition();

      const toNewer = await newerCode.receive(copeDelivery(checkIn));
      const toOlder = await olderCode.receive(copeDelivery(checkIn));

      const duplicate = { kind: 'duplicate', receiptId: reprocessed.receiptId };
      expect(toNewer).toEqual(duplicate);
      expect(toOlder).toEqual(duplicate);
      expect(await store.headPosition()).toBe(head);
      expect(redeliveries.of(reprocessed.receiptId).count).toBe(2);
    });

    it('when newer code reprocesses it a second time, then the outcome is a duplicate of the first reprocess, recorded in the parked log, and the ticket stream is unchanged', async () => {
      const newerCode = intake();
      const first = await newerCode.reprocessParked(parkedReceiptId);
      if (first?.kind !== 'accepted') throw new Error('expected the reprocess to apply');
      const stream = await store.readStream(ticketStream(checkIn));

      const second = await intake().reprocessParked(parkedReceiptId);

      expect(second).toEqual({ kind: 'duplicate', receiptId: first.receiptId });
      expect(await store.readStream(ticketStream(checkIn))).toEqual(stream);
      expect((await reprocessRecords('parked-cope')).map((record) => record.outcome)).toEqual([
        'accepted',
        'duplicate',
      ]);
    });

    it('when the same older code reprocesses it, then it stays parked under its receipt and the attempt is recorded', async () => {
      const result = await intake({ cope: copeCheckWithoutCheckIns }).reprocessParked(
        parkedReceiptId,
      );

      expect(result).toEqual({
        kind: 'parked',
        receiptId: parkedReceiptId,
        reason: 'unsupported_type',
      });
      expect(await store.readStream(ticketStream(checkIn))).toEqual([]);
      expect(await reprocessRecords('parked-cope')).toEqual([
        { parkedReceiptId, outcome: 'parked', parkedReason: 'unsupported_type' },
      ]);
      expect((await receiptsIn('parked-cope')).map((event) => event.id)).toEqual([parkedReceiptId]);
    });
  });

  it('given an LTD EventChanged parked by older code, when newer code reprocesses it, then it is applied to show-ltd.<EventId> and a redelivery is a duplicate', async () => {
    const message = JSON.parse(JSON.stringify(LTD_EVENT_CHANGED_EXAMPLE)) as JsonObject;
    const olderCode = intake({ ltd: ltdCheckWithoutEventChanged });
    const parked = await olderCode.receive(ltdDelivery(message));
    if (parked.kind !== 'parked') throw new Error(`expected parked, got ${parked.kind}`);

    const reprocessed = await intake().reprocessParked(parked.receiptId);
    const redelivered = await olderCode.receive(ltdDelivery(message));

    expect(reprocessed).toMatchObject({
      kind: 'accepted',
      streamId: 'show-ltd.1234',
      events: ['WebhookReceived', 'LtdEventChanged'],
    });
    expect(redelivered).toEqual({
      kind: 'duplicate',
      receiptId: reprocessed?.kind === 'accepted' ? reprocessed.receiptId : '',
    });
    expect(await receiptsIn('parked-ltd')).toHaveLength(1);
  });

  it('given receipt ids that name no parked delivery, when reprocessed, then there is nothing to reprocess', async () => {
    const accepted = await intake().receive(copeDelivery(newCheckIn()));
    if (accepted.kind !== 'accepted') throw new Error(`expected accepted, got ${accepted.kind}`);

    expect(await intake().reprocessParked(randomUUID())).toBeUndefined();
    expect(await intake().reprocessParked(accepted.receiptId)).toBeUndefined();
  });

  it('given a parked COPE delivery, when a resend with the same source+id but another body is parked too, then each gets its own receipt, answers and is reprocessed with its own body', async () => {
    const olderCode = intake({ cope: copeCheckWithoutCheckIns });
    const first = newCheckIn();
    const resend = { ...first, data: { ...(first['data'] as JsonObject), gate: 'B' } };

    const parkedFirst = await olderCode.receive(copeDelivery(first));
    const parkedResend = await olderCode.receive(copeDelivery(resend));
    const resendAgain = await olderCode.receive(copeDelivery(resend));

    if (parkedFirst.kind !== 'parked' || parkedResend.kind !== 'parked') {
      throw new Error('expected both to be parked');
    }
    expect(parkedResend.receiptId).not.toBe(parkedFirst.receiptId);
    expect(resendAgain).toEqual(parkedResend);
    const parked = await receiptsIn('parked-cope');
    expect(parked.map((event) => event.id)).toEqual([
      parkedFirst.receiptId,
      parkedResend.receiptId,
    ]);
    expect(parked.map((event) => (event.data as unknown as WebhookReceived).rawBody)).toEqual([
      JSON.stringify(first),
      JSON.stringify(resend),
    ]);

    const reprocessed = await intake().reprocessParked(parkedResend.receiptId);
    if (reprocessed?.kind !== 'accepted') throw new Error('expected the reprocess to apply');
    const [receipt] = await store.readStream(reprocessed.streamId);
    expect((receipt?.data as unknown as WebhookReceived).rawBody).toBe(JSON.stringify(resend));
  });

  it('given two intakes on two connections to one SQLite file (two API instances), when 20 copies of one new delivery reach them at once, then exactly one is accepted and the others are duplicates of it', async () => {
    const other = SqliteEventStore.open({ file: join(dir, 'events.sqlite') });
    try {
      const instances = [intake(), intake(undefined, other)];
      const event = newCheckIn();

      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          instances[index % 2]!.receive(copeDelivery(event)),
        ),
      );

      const accepted = results.filter((result) => result.kind === 'accepted');
      expect(accepted).toHaveLength(1);
      const receiptId = accepted[0]?.kind === 'accepted' ? accepted[0].receiptId : undefined;
      expect(results.filter((result) => result.kind === 'duplicate')).toEqual(
        Array.from({ length: 19 }, () => ({ kind: 'duplicate', receiptId })),
      );
      expect(await receiptsIn(ticketStream(event))).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
