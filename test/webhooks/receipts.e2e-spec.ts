// What a receipt holds and how an append is laid out (intake.md, end of "Streams"),
// read back from the SQLite file.
import { createHash } from 'node:crypto';
import type { RecordedEvent } from '#event-store';
import { GENESIS_HASH, recordedEventHash } from '#ledger';
import {
  copeTicketDelivery,
  ltdTransaction,
  unique,
  uniqueInteger,
} from '../support/intake-fixtures.js';
import { inStream, keptBytes, receiptOf, storedEvents } from '../support/intake-store.js';
import {
  LTD_TOKEN,
  PROVIDER_SECRETS,
  post,
  postCope,
  postLtd,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

function sha256(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('webhook receipts', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
  });

  afterAll(async () => {
    await api.dispose();
  });

  async function appendOf(receiptId: unknown): Promise<RecordedEvent[]> {
    const events = await storedEvents(api.dataDir);
    const receipt = events.find((event) => event.id === receiptId);
    if (!receipt) throw new Error(`receipt ${String(receiptId)} is not stored`);
    return inStream(events, receipt.streamId).filter((event) => event.revision >= receipt.revision);
  }

  describe('given a COPE delivery with headers beyond the allow-list', () => {
    const event = copeTicketDelivery();
    const body = JSON.stringify(event);
    const sentHeaders = {
      authorization: 'Bearer not-for-the-ledger',
      cookie: 'session=secret',
      'x-forwarded-for': '203.0.113.7',
      'user-agent': 'cope-webhooks/2.1',
      'ce-traceparent': '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    };
    let receiptId: unknown;

    beforeAll(async () => {
      const answer = await postCope(api, body, { headers: sentHeaders });
      expect(answer.status).toBe(202);
      receiptId = answer.body['receiptId'];
    });

    it('when it is stored, then WebhookReceived comes first, and each domain event has causationId = the receipt and correlationId = the CloudEvent id', async () => {
      const [receipt, ...domainEvents] = await appendOf(receiptId);

      expect(receipt?.type).toBe('WebhookReceived');
      expect(receipt?.revision).toBe(0);
      expect(domainEvents.map((domainEvent) => domainEvent.type)).toEqual([
        'TicketDeliveryRequested',
      ]);
      for (const domainEvent of domainEvents) {
        expect(domainEvent.metadata['causationId']).toBe(receiptId);
        expect(domainEvent.metadata['correlationId']).toBe(event['id']);
      }
    });

    it('when it is stored, then the receipt keeps content-type, user-agent, webhook-* and ce-* headers, and never authorization, cookies or other headers', async () => {
      const [stored] = await appendOf(receiptId);
      const receipt = receiptOf(stored!);

      expect(Object.keys(receipt.headers).sort()).toEqual([
        'ce-traceparent',
        'content-type',
        'user-agent',
        'webhook-id',
        'webhook-signature',
        'webhook-timestamp',
      ]);
      expect(receipt.headers).toMatchObject({
        'content-type': 'application/cloudevents+json',
        'user-agent': 'cope-webhooks/2.1',
        'ce-traceparent': sentHeaders['ce-traceparent'],
      });
      expect(JSON.stringify(stored)).not.toContain('not-for-the-ledger');
      expect(JSON.stringify(stored)).not.toContain('session=secret');
    });

    it('when it is stored, then the receipt names the provider, type, deduplication keys, receipt time, verification, the SHA-256 and the raw body', async () => {
      const [stored] = await appendOf(receiptId);
      const receipt = receiptOf(stored!);

      expect(receipt).toMatchObject({
        provider: 'cope',
        messageType: 'ticketing.ticket_delivery.requested',
        signatureVerified: true,
        outcome: 'accepted',
        sha256: sha256(body),
        rawBody: body,
        rawBodyEncoding: 'utf8',
      });
      // source+id, and the idempotency_key.
      expect(receipt.deduplicationKeys).toHaveLength(2);
      expect(Math.abs(Date.parse(receipt.receivedAt) - Date.now())).toBeLessThan(60_000);
    });
  });

  it('given an LTD delivery, when it is stored, then every domain event is caused by the receipt, all share one correlationId, and the Bearer token is not kept', async () => {
    const answer = await postLtd(api, JSON.stringify(ltdTransaction()));

    const [receipt, ...domainEvents] = await appendOf(answer.body['receiptId']);
    expect(receipt?.type).toBe('WebhookReceived');
    expect(domainEvents.length).toBeGreaterThan(1);
    for (const domainEvent of domainEvents) {
      expect(domainEvent.metadata['causationId']).toBe(receipt?.id);
      expect(domainEvent.metadata['correlationId']).toBe(receipt?.metadata['correlationId']);
    }
    expect(Object.keys(receiptOf(receipt!).headers).sort()).toEqual(['content-type', 'user-agent']);
    expect(JSON.stringify(receipt)).not.toContain(LTD_TOKEN);
  });

  it('given an LTD body with unusual whitespace, escapes and non-ASCII text, when it is stored, then the receipt keeps it byte for byte, and the message is read from it', async () => {
    const name = 'Café\u00a0“Nöel” — 🎭';
    const body =
      `\t{ "MessageType" :"EventChanged",\r\n  "Payload": {"EventId": ${uniqueInteger()},` +
      ` "EventName": "${name} \\u00e9\\ud83c\\udfad\\u2028", "Price": 10.00,  "Tags":[ ] ,` +
      ` "Empty": { } },\n"Timestamp":"2024-05-14T08:26:11.1451352Z"   }\n\n`;

    const answer = await postLtd(api, body);

    expect(answer.status).toBe(202);
    const [stored, changed] = await appendOf(answer.body['receiptId']);
    const receipt = receiptOf(stored!);
    expect(receipt.rawBodyEncoding).toBe('utf8');
    expect(keptBytes(receipt).equals(Buffer.from(body, 'utf8'))).toBe(true);
    expect(receipt.sha256).toBe(sha256(Buffer.from(body, 'utf8')));
    expect(changed?.data).toMatchObject({
      details: { EventName: `${name} é🎭\u2028` },
    });
  });

  it('given a COPE body with unusual whitespace and non-ASCII text, signed over its bytes, when it is stored, then the receipt keeps it byte for byte', async () => {
    const event = copeTicketDelivery({ data: { recipient: 'Zoë Ångström 📧' } });
    const body = `\r\n${JSON.stringify(event, null, 3).replaceAll('": ', '"   :\t')}\n`;

    const answer = await postCope(api, body);

    expect(answer.status).toBe(202);
    const [stored] = await appendOf(answer.body['receiptId']);
    expect(keptBytes(receiptOf(stored!)).equals(Buffer.from(body, 'utf8'))).toBe(true);
  });

  it('given a body that is not valid UTF-8, when it is stored, then the receipt keeps the very bytes (base64) and their SHA-256', async () => {
    const [before, after] = JSON.stringify(ltdTransaction(unique('BK'))).split('Morgan Better');
    // A Latin-1 "é" (0xE9) in a string: not UTF-8, still JSON once decoded leniently.
    const bytes = Buffer.concat([
      Buffer.from(`${before ?? ''}Morgan `),
      Buffer.from([0xe9]),
      Buffer.from(after ?? ''),
    ]);

    const answer = await post(`${api.url}/webhooks/ltd`, bytes, {
      headers: { authorization: `Bearer ${LTD_TOKEN}` },
    });

    expect(answer.status).toBe(202);
    const [stored] = await appendOf(answer.body['receiptId']);
    const receipt = receiptOf(stored!);
    expect(receipt.rawBodyEncoding).toBe('base64');
    expect(keptBytes(receipt).equals(bytes)).toBe(true);
    expect(receipt.sha256).toBe(sha256(bytes));
  });

  it('given the deliveries above, when the store is read, then every event carries metadata.hash, chained to the previous event of its stream', async () => {
    const events = await storedEvents(api.dataDir);
    expect(events.length).toBeGreaterThan(10);
    const lastHash = new Map<string, string>();

    for (const event of events) {
      const hash = event.metadata['hash'];
      expect(typeof hash === 'string' && /^[0-9a-f]{64}$/.test(hash)).toBe(true);
      const expected = recordedEventHash(lastHash.get(event.streamId) ?? GENESIS_HASH, event);
      expect(hash).toBe(expected);
      lastHash.set(event.streamId, expected);
    }
  });
});
