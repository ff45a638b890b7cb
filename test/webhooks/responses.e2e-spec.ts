// Every row of intake.md's response table, over HTTP against a real SQLite file.
import { createHmac } from 'node:crypto';
import type { JsonObject } from '#event-store';
import type { Provider } from '#ledger';
import { LTD_TRANSACTION_CHANGED_SEED_TEXT } from '#testing';
import { expectProblem, postWithoutContentType, type Answer } from '../support/http-answers.js';
import {
  copeCheckIn,
  copeEventPublished,
  copeOfUnknownType,
  copeTicketDelivery,
  ingresseTicketType,
  ltdEventChanged,
  ltdOptIn,
  ltdPerformanceChanged,
  ltdScheduledDelivery,
  ltdTransaction,
  stringAt,
  unique,
  uniqueInteger,
  without,
} from '../support/intake-fixtures.js';
import {
  inStream,
  lockEventStore,
  receiptOf,
  receipts,
  storedEvents,
} from '../support/intake-store.js';
import {
  COPE_SECRET,
  INGRESSE_TOKEN,
  LTD_TOKEN,
  PROVIDER_SECRETS,
  post,
  postCope,
  postIngresse,
  postLtd,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

const DATA_KEY = 'responses-e2e-data-key-0123456789abcdef';

type Send = (api: { url: string }, body: string) => Promise<Answer>;
const SEND: Record<Provider, Send> = { cope: postCope, ltd: postLtd, ingresse: postIngresse };

describe('webhook responses (intake.md, "Responses")', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi({ ...PROVIDER_SECRETS, DATA_KEY });
  });

  afterAll(async () => {
    await api.dispose();
  });

  async function storedCount(): Promise<number> {
    return (await storedEvents(api.dataDir)).length;
  }

  /** 202 accepted, and the stream holds exactly that append: the receipt, then its events. */
  async function expectAccepted(answer: Answer, streamId: string, domainEvents: string[]) {
    expect(answer.status).toBe(202);
    expect(Object.keys(answer.body).sort()).toEqual([
      'events',
      'position',
      'receiptId',
      'status',
      'streamId',
    ]);
    expect(answer.body).toMatchObject({
      status: 'accepted',
      streamId,
      events: ['WebhookReceived', ...domainEvents],
    });
    const stream = inStream(await storedEvents(api.dataDir), streamId);
    expect(stream.map((event) => event.type)).toEqual(answer.body['events']);
    expect(stream[0]?.id).toBe(answer.body['receiptId']);
    // The append's global position: its last event's.
    expect(stream.at(-1)?.position).toBe(answer.body['position']);
  }

  describe('given a new delivery that the contract accepts', () => {
    it.each([
      ['ticketing.ticket_delivery.requested', copeTicketDelivery, 'TicketDeliveryRequested'],
      ['ticketing.check_in.created', copeCheckIn, 'TicketCheckedIn'],
    ])(
      'when COPE %s is posted, then 202 accepted in ticket-cope.<ticket_id>',
      async (_type, build, domainEvent) => {
        const body = build();
        const ticketId = stringAt(body, 'data', 'ticket_id');

        const answer = await postCope(api, JSON.stringify(body));

        await expectAccepted(answer, `ticket-cope.${ticketId}`, [domainEvent]);
      },
    );

    it('when COPE ticketing.event.published is posted, then 202 accepted in show-cope.<event_id>', async () => {
      const eventId = unique('show');

      const answer = await postCope(api, JSON.stringify(copeEventPublished(eventId)));

      await expectAccepted(answer, `show-cope.${eventId}`, ['CopeEventPublished']);
    });

    it('when LTD TransactionChanged is posted, then 202 accepted in booking-ltd.<BookingReference>', async () => {
      const reference = unique('BK');

      const answer = await postLtd(api, JSON.stringify(ltdTransaction(reference)));

      await expectAccepted(answer, `booking-ltd.${reference}`, [
        'BookingDetailsChanged',
        'BookingTicketIssued',
        'BookingTicketIssued',
        'BookingTicketCancelled',
        'BookingSnapshotApplied',
      ]);
    });

    it('when LTD ScheduledEticketDelivery is posted, then 202 accepted in booking-ltd.<BookingReference>', async () => {
      const reference = unique('BK');

      const answer = await postLtd(api, JSON.stringify(ltdScheduledDelivery(reference)));

      await expectAccepted(answer, `booking-ltd.${reference}`, ['EticketsReleased']);
    });

    it('when LTD PerformanceChanged is posted, then 202 accepted in performance-ltd.<PerformanceId>', async () => {
      const performanceId = uniqueInteger();

      const answer = await postLtd(api, JSON.stringify(ltdPerformanceChanged(performanceId)));

      await expectAccepted(answer, `performance-ltd.${performanceId}`, [
        'PerformanceAvailabilityReported',
      ]);
    });

    it('when LTD EventChanged is posted, then 202 accepted in show-ltd.<EventId>', async () => {
      const eventId = uniqueInteger();

      const answer = await postLtd(api, JSON.stringify(ltdEventChanged(eventId)));

      await expectAccepted(answer, `show-ltd.${eventId}`, ['LtdEventChanged']);
    });

    it('when LTD AffiliateOptIn with a Booking is posted, then 202 accepted in booking-ltd.<Booking.BookingReference>', async () => {
      const reference = unique('BK');

      const answer = await postLtd(api, JSON.stringify(ltdOptIn('fan@example.com', reference)));

      await expectAccepted(answer, `booking-ltd.${reference}`, ['AffiliateOptInRecorded']);
    });

    it('when LTD AffiliateOptIn without a Booking is posted, then 202 accepted in consent-ltd.<keyed digest of the lower-cased e-mail>, which does not show the e-mail', async () => {
      const local = unique('Jane.Doe');
      const email = `${local}@Example.COM`;
      const digest = createHmac('sha256', Buffer.from(DATA_KEY, 'utf8'))
        .update(email.toLowerCase())
        .digest('hex');

      const answer = await postLtd(api, JSON.stringify(ltdOptIn(email, null)));

      await expectAccepted(answer, `consent-ltd.${digest}`, ['AffiliateOptInRecorded']);
      const streamId = String(answer.body['streamId']);
      expect(streamId).toMatch(/^consent-ltd\.[0-9a-f]{64}$/);
      expect(streamId.toLowerCase()).not.toContain(local.toLowerCase());
      expect(streamId.toLowerCase()).not.toContain('example.com');

      const sameAddressOtherCase = await postLtd(
        api,
        JSON.stringify({
          ...ltdOptIn(email.toUpperCase(), null),
          Timestamp: '2025-04-02T08:00:00Z',
        }),
      );
      expect(sameAddressOtherCase.status).toBe(202);
      expect(sameAddressOtherCase.body['streamId']).toBe(streamId);
    });

    it('when Ingresse ticket is posted, then 202 accepted in tickettype-ingresse.<data.id>', async () => {
      const id = uniqueInteger();

      const answer = await postIngresse(api, JSON.stringify(ingresseTicketType(id)));

      await expectAccepted(answer, `tickettype-ingresse.${id}`, ['TicketTypeReported']);
    });
  });

  describe('given a delivery already accepted', () => {
    it('when it is posted again, then 200 {status: duplicate, receiptId: the first receipt} and nothing is appended', async () => {
      const body = JSON.stringify(copeTicketDelivery());
      const first = await postCope(api, body);
      const before = await storedCount();

      const again = await postCope(api, body);

      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate', receiptId: first.body['receiptId'] });
      expect(await storedCount()).toBe(before);
    });
  });

  describe('given an authenticated, well-formed delivery this code cannot apply', () => {
    async function expectParked(
      answer: Answer,
      provider: Provider,
      reason: 'unsupported_type' | 'unsupported_version',
    ) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({
        status: 'parked',
        receiptId: answer.body['receiptId'],
        reason,
      });
      const parked = receipts(inStream(await storedEvents(api.dataDir), `parked-${provider}`));
      const receipt = parked.filter((event) => event.id === answer.body['receiptId']);
      expect(receipt).toHaveLength(1);
      expect(receiptOf(receipt[0]!)).toMatchObject({ outcome: 'parked', parkedReason: reason });
    }

    it('when COPE sends a type that is not one of the three documented, then 202 parked unsupported_type, and a resend gets the same answer without parking twice', async () => {
      const body = JSON.stringify(copeOfUnknownType());

      const answer = await postCope(api, body);
      const again = await postCope(api, body);

      await expectParked(answer, 'cope', 'unsupported_type');
      expect(again.status).toBe(202);
      expect(again.body).toEqual(answer.body);
    });

    it.each([
      ['without data', (event: JsonObject) => without(event, 'data')],
      ['with a string as data', (event: JsonObject) => ({ ...event, data: 'opaque' })],
      ['with null data', (event: JsonObject) => ({ ...event, data: null })],
    ])(
      'when COPE sends a type not yet documented %s, then 202 parked unsupported_type (its payload is not judged)',
      async (_kind, edit) => {
        const body = JSON.stringify(edit(copeOfUnknownType()));

        await expectParked(await postCope(api, body), 'cope', 'unsupported_type');
      },
    );

    it('when LTD sends an unknown MessageType, then 202 parked unsupported_type', async () => {
      const body = {
        MessageType: 'VoucherRedeemed',
        Payload: { VoucherCode: unique('V') },
        Timestamp: '2024-03-05T08:26:11.1451352Z',
      };

      await expectParked(await postLtd(api, JSON.stringify(body)), 'ltd', 'unsupported_type');
    });

    it('when Ingresse sends a webhook other than ticket, then 202 parked unsupported_type', async () => {
      const body = {
        webhook: 'event',
        data: { id: uniqueInteger(), title: 'Show' },
        timestamp: '2018-04-02T13:57:04.770619',
      };

      await expectParked(
        await postIngresse(api, JSON.stringify(body)),
        'ingresse',
        'unsupported_type',
      );
    });

    it('when COPE states dataschema v2, then 202 parked unsupported_version', async () => {
      const body = {
        ...copeTicketDelivery(),
        dataschema: 'https://schemas.cope.com/events/ticketing.ticket_delivery.requested/v2',
      };

      await expectParked(await postCope(api, JSON.stringify(body)), 'cope', 'unsupported_version');
    });

    it('when COPE states schema_version 2.0 without a dataschema, then 202 parked unsupported_version', async () => {
      const event = copeTicketDelivery({ data: { schema_version: '2.0' } });
      const body = without(event, 'dataschema');

      await expectParked(await postCope(api, JSON.stringify(body)), 'cope', 'unsupported_version');
    });
  });

  describe('given a delivery that violates the provider contract', () => {
    const violations: [Provider, () => JsonObject, string[]][] = [
      [
        'cope',
        () => {
          const event = copeTicketDelivery({
            data: {
              event_type: 'ticketing.check_in.created',
              requested_at: 'yesterday',
              attendee: 'x',
            },
          });
          return { ...event, data: without(event['data'] as JsonObject, 'recipient') };
        },
        ['/data/attendee', '/data/event_type', '/data/recipient', '/data/requested_at'],
      ],
      [
        'ltd',
        () => {
          const message = ltdTransaction();
          const payload = message['Payload'] as JsonObject;
          const [order] = payload['Orders'] as JsonObject[];
          return {
            ...message,
            Timestamp: 'yesterday',
            Payload: {
              ...without(payload, 'BookingReference'),
              Orders: [{ ...order, PerformanceId: '661132' }],
            },
          };
        },
        ['/Payload/BookingReference', '/Payload/Orders/0/PerformanceId', '/Timestamp'],
      ],
      [
        'ingresse',
        () => {
          const message = ingresseTicketType();
          const data = message['data'] as JsonObject;
          return { ...message, data: { ...without(data, 'eventId'), quantity: 'many' } };
        },
        ['/data/eventId', '/data/quantity'],
      ],
    ];

    it.each(violations)(
      'when %s posts it, then 422 problem details list every violation by JSON Pointer with the receiptId, it is parked once, and a retry is answered identically',
      async (provider, build, pointers) => {
        const body = JSON.stringify(build());

        const answer = await SEND[provider](api, body);
        const retry = await SEND[provider](api, body);

        expectProblem(answer, 422);
        const errors = answer.body['errors'] as { pointer: string; message: string }[];
        expect(errors.map((error) => error.pointer).sort()).toEqual(pointers);
        for (const error of errors) expect(error.message).not.toBe('');
        const receiptId = answer.body['receiptId'];
        expect(typeof receiptId).toBe('string');

        expectProblem(retry, 422);
        expect(retry.body).toEqual(answer.body);

        const parked = receipts(inStream(await storedEvents(api.dataDir), `parked-${provider}`));
        const stored = parked.filter((event) => receiptOf(event).rawBody === body);
        expect(stored).toHaveLength(1);
        expect(stored[0]?.id).toBe(receiptId);
        expect(receiptOf(stored[0]!)).toMatchObject({
          outcome: 'parked',
          parkedReason: 'contract_violation',
          errors,
        });
      },
    );
  });

  describe('given a body that is not JSON, or not the provider’s envelope', () => {
    const bodies: [Provider, string, string][] = [
      ['cope', 'not JSON', '{"specversion": "1.0", "id": '],
      ['cope', 'an array', '[]'],
      ['cope', 'an object of other members', '{"foo":1}'],
      ['ltd', 'the seed’s invalid JSON', LTD_TRANSACTION_CHANGED_SEED_TEXT],
      ['ltd', 'an array', '[]'],
      ['ltd', 'an object of other members', '{"foo":1}'],
      ['ltd', 'null', 'null'],
      ['ltd', 'an empty body', ''],
      ['ingresse', 'not JSON', "{'webhook': 'ticket'}"],
      ['ingresse', 'a string', '"ticket"'],
      ['ingresse', 'an object of other members', '{"foo":1}'],
    ];

    it.each(bodies)(
      'when %s receives %s, then 400 problem details and nothing is stored',
      async (provider, _kind, body) => {
        const before = await storedCount();

        const answer = await SEND[provider](api, body);

        expectProblem(answer, 400);
        expect(await storedCount()).toBe(before);
      },
    );
  });

  describe('given another provider’s valid body on a route, each correctly authenticated for that route', () => {
    // COPE's CloudEvents and Ingresse's webhooks both have a `data` member: that alone must
    // not make either one the other's (broken, parked) message.
    const foreign: [Provider, string, () => JsonObject][] = [
      ['ingresse', 'a COPE CloudEvent', () => copeTicketDelivery()],
      ['ingresse', 'a COPE CloudEvent of an unknown type', copeOfUnknownType],
      ['ingresse', 'an LTD message', () => ltdTransaction()],
      ['cope', 'an Ingresse webhook', () => ingresseTicketType()],
      ['cope', 'an LTD message', () => ltdEventChanged()],
      ['ltd', 'a COPE CloudEvent', () => copeCheckIn()],
      ['ltd', 'an Ingresse webhook', () => ingresseTicketType()],
    ];

    it.each(foreign)(
      'when %s receives %s, then 400 problem details and nothing is stored (not parked)',
      async (provider, _kind, build) => {
        const before = await storedCount();

        const answer = await SEND[provider](api, JSON.stringify(build()));

        expectProblem(answer, 400);
        expect(answer.body['receiptId']).toBeUndefined();
        expect(await storedCount()).toBe(before);
      },
    );

    it('when Ingresse receives its own envelope that breaks a field rule, then it is still 422 and parked', async () => {
      const body = JSON.stringify({ ...ingresseTicketType(), timestamp: 'yesterday' });

      const answer = await postIngresse(api, body);

      expectProblem(answer, 422);
      expect(answer.body['errors']).toEqual([
        { pointer: '/timestamp', message: expect.any(String) as unknown },
      ]);
      const parked = receipts(inStream(await storedEvents(api.dataDir), 'parked-ingresse'));
      expect(parked.map((event) => event.id)).toContain(answer.body['receiptId']);
    });
  });

  describe('given a delivery that fails authentication', () => {
    it.each([
      [
        'COPE signed with another secret',
        () =>
          postCope(api, JSON.stringify(copeTicketDelivery()), {
            headers: { 'webhook-signature': 'v1,bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsISE=' },
          }),
      ],
      [
        'LTD with a wrong token',
        () =>
          postLtd(api, JSON.stringify(ltdTransaction()), {
            headers: { authorization: `Bearer ${LTD_TOKEN}-not` },
          }),
      ],
      [
        'Ingresse without a token',
        () => post(`${api.url}/webhooks/ingresse`, JSON.stringify(ingresseTicketType())),
      ],
    ])(
      'when %s arrives, then 401 problem details that echo neither a secret nor the body, and nothing is stored',
      async (_case, send) => {
        const before = await storedCount();

        const answer = await send();

        expectProblem(answer, 401);
        const text = JSON.stringify(answer.body);
        for (const secret of [COPE_SECRET, COPE_SECRET.slice('whsec_'.length), LTD_TOKEN]) {
          expect(text).not.toContain(secret);
        }
        expect(text).not.toContain(INGRESSE_TOKEN);
        expect(text).not.toContain('example_recipient');
        expect(text).not.toContain('CSK46133');
        expect(text).not.toContain('Ingresso');
        expect(await storedCount()).toBe(before);
      },
    );
  });

  describe('given a content type that is not JSON', () => {
    const SEND_AS: Record<Provider, (body: string, contentType: string) => Promise<Answer>> = {
      cope: (body, contentType) => postCope(api, body, { contentType }),
      ltd: (body, contentType) => postLtd(api, body, { contentType }),
      ingresse: (body, contentType) => postIngresse(api, body, { contentType }),
    };

    it.each([
      ['cope', 'text/plain', copeTicketDelivery],
      ['ltd', 'text/plain', ltdTransaction],
      ['ltd', 'application/x-www-form-urlencoded', ltdTransaction],
      ['ingresse', 'application/xml', ingresseTicketType],
    ] as const)(
      'when %s receives %s, then 415 problem details and nothing is stored',
      async (provider, contentType, build) => {
        const before = await storedCount();

        const answer = await SEND_AS[provider](JSON.stringify(build()), contentType);

        expectProblem(answer, 415);
        expect(await storedCount()).toBe(before);
      },
    );

    it('when a JSON body comes without any content type, then 415 problem details and nothing is stored', async () => {
      const before = await storedCount();

      const answer = await postWithoutContentType(
        `${api.url}/webhooks/ltd`,
        JSON.stringify(ltdTransaction()),
        { authorization: `Bearer ${LTD_TOKEN}` },
      );

      expectProblem(answer, 415);
      expect(await storedCount()).toBe(before);
    });
  });

  describe('given the store is unavailable (its SQLite file locked by another connection)', () => {
    it('when deliveries arrive, then 503 problem details with Retry-After and nothing half-written; once the lock is released the same deliveries go through by themselves', async () => {
      const valid = JSON.stringify(copeTicketDelivery());
      const violating = JSON.stringify({ ...ltdTransaction(), Timestamp: 'not a time' });
      const before = await storedCount();
      const lock = lockEventStore(api.dataDir);
      let duringLock: Answer[];
      try {
        duringLock = [await postCope(api, valid), await postLtd(api, violating)];
      } finally {
        lock.release();
      }

      for (const answer of duringLock) {
        expectProblem(answer, 503);
        expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      }
      expect(await storedCount()).toBe(before);

      const accepted = await postCope(api, valid);
      const parked = await postLtd(api, violating);
      expect(accepted.status).toBe(202);
      expect(accepted.body['status']).toBe('accepted');
      expect(parked.status).toBe(422);
      const stored = await storedEvents(api.dataDir);
      expect(stored.map((event) => event.id)).toContain(accepted.body['receiptId']);
      expect(stored.map((event) => event.id)).toContain(parked.body['receiptId']);
    });
  });
});

describe('a small WEBHOOK_MAX_BYTES (100)', () => {
  const MAX_BYTES = 100;
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi({ ...PROVIDER_SECRETS, WEBHOOK_MAX_BYTES: String(MAX_BYTES) });
  });

  afterAll(async () => {
    await api.dispose();
  });

  /** A minimal LTD EventChanged (96 bytes unpadded), padded to exactly `bytes` bytes. */
  function eventChangedOfSize(bytes: number): string {
    const message = {
      MessageType: 'EventChanged',
      // A one-digit id keeps it under 100 bytes; the data directory is this test's own.
      Payload: { EventId: 7 },
      Timestamp: '2024-03-05T08:26:11Z',
      P: '',
    };
    const body = JSON.stringify({
      ...message,
      P: 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify(message))),
    });
    expect(Buffer.byteLength(body)).toBe(bytes);
    return body;
  }

  it('given WEBHOOK_MAX_BYTES=100, when 101 bytes arrive, then 413 and nothing is stored; when 100 bytes arrive, then accepted', async () => {
    const before = (await storedEvents(api.dataDir)).length;

    const over = await postLtd(api, eventChangedOfSize(MAX_BYTES + 1));

    expectProblem(over, 413);
    expect((await storedEvents(api.dataDir)).length).toBe(before);
    expect((await postLtd(api, eventChangedOfSize(MAX_BYTES))).status).toBe(202);
  });
});

describe('a body over WEBHOOK_MAX_BYTES', () => {
  const MAX_BYTES = 2048;
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi({ ...PROVIDER_SECRETS, WEBHOOK_MAX_BYTES: String(MAX_BYTES) });
  });

  afterAll(async () => {
    await api.dispose();
  });

  /** An LTD message padded (with a field the contract allows) to exactly `bytes` bytes. */
  function ltdOfSize(bytes: number): string {
    const message = ltdTransaction();
    const unpadded = JSON.stringify({ ...message, Padding: '' });
    const body = JSON.stringify({
      ...message,
      Padding: 'x'.repeat(bytes - Buffer.byteLength(unpadded)),
    });
    expect(Buffer.byteLength(body)).toBe(bytes);
    return body;
  }

  it('given WEBHOOK_MAX_BYTES=2048, when a body of 2049 bytes arrives, then 413 problem details and nothing is stored', async () => {
    const before = (await storedEvents(api.dataDir)).length;

    const ltd = await postLtd(api, ltdOfSize(MAX_BYTES + 1));
    const cope = await postCope(
      api,
      JSON.stringify({ ...copeTicketDelivery(), padding: 'x'.repeat(MAX_BYTES) }),
    );

    expectProblem(ltd, 413);
    expectProblem(cope, 413);
    expect((await storedEvents(api.dataDir)).length).toBe(before);
  });

  it('given WEBHOOK_MAX_BYTES=2048, when a body of exactly 2048 bytes arrives, then it is accepted', async () => {
    const answer = await postLtd(api, ltdOfSize(MAX_BYTES));

    expect(answer.status).toBe(202);
  });
});
