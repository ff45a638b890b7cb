// Deduplication (intake.md, "Deduplication keys"): redeliveries of the same bytes or of
// the same JSON re-serialised, concurrent copies, restarts, COPE idempotency keys, and
// corrected resends of parked deliveries.
import type { JsonObject } from '#event-store';
import type { Provider } from '#ledger';
import type { Answer } from '../support/http-answers.js';
import {
  copeTicketDelivery,
  ingresseTicketType,
  ltdTransaction,
  reserialised,
  stringAt,
  unique,
  without,
} from '../support/intake-fixtures.js';
import {
  eventWithId,
  inStream,
  receiptOf,
  receipts,
  redeliveriesOf,
  storedEvents,
} from '../support/intake-store.js';
import {
  PROVIDER_SECRETS,
  postCope,
  postIngresse,
  postLtd,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

type Send = (api: { url: string }, body: string) => Promise<Answer>;
const SEND: Record<Provider, Send> = { cope: postCope, ltd: postLtd, ingresse: postIngresse };
const BUILD: Record<Provider, () => JsonObject> = {
  cope: () => copeTicketDelivery(),
  ltd: () => ltdTransaction(),
  ingresse: () => ingresseTicketType(),
};
const PROVIDERS: Provider[] = ['cope', 'ltd', 'ingresse'];

function ticketStream(event: JsonObject): string {
  return `ticket-cope.${stringAt(event, 'data', 'ticket_id')}`;
}

describe('webhook deduplication', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
  });

  afterAll(async () => {
    await api.dispose();
  });

  describe.each(PROVIDERS)('given a %s delivery already accepted', (provider) => {
    it('when the identical bytes arrive again, then 200 duplicate naming the first receipt, nothing is appended, and the first receipt’s redelivery counter goes up', async () => {
      const body = JSON.stringify(BUILD[provider]());
      const first = await SEND[provider](api, body);
      const before = await storedEvents(api.dataDir);

      const again = await SEND[provider](api, body);

      expect(first.status).toBe(202);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate', receiptId: first.body['receiptId'] });
      expect(await storedEvents(api.dataDir)).toEqual(before);
      const counted = redeliveriesOf(api.dataDir, first.body['receiptId']);
      expect(counted.count).toBe(1);
      expect(Date.parse(counted.lastSeenAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    });

    it('when the same JSON arrives re-serialised (other key order, whitespace), then 200 duplicate naming the first receipt and nothing is appended', async () => {
      const message = BUILD[provider]();
      const compact = JSON.stringify(message);
      const reformatted = reserialised(message);
      expect(reformatted).not.toBe(compact);
      expect(JSON.parse(reformatted)).toEqual(message);
      const first = await SEND[provider](api, compact);
      const before = (await storedEvents(api.dataDir)).length;

      const again = await SEND[provider](api, reformatted);

      expect(first.status).toBe(202);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate', receiptId: first.body['receiptId'] });
      expect((await storedEvents(api.dataDir)).length).toBe(before);
    });
  });

  describe.each(['cope', 'ltd'] as const)('given a new %s webhook', (provider) => {
    it('when 50 copies arrive at once, then exactly one 202 and 49 duplicates, all naming one receipt, and exactly one receipt is stored', async () => {
      const body = JSON.stringify(BUILD[provider]());

      const answers = await Promise.all(
        Array.from({ length: 50 }, () => SEND[provider](api, body)),
      );

      const accepted = answers.filter((answer) => answer.status === 202);
      const duplicates = answers.filter((answer) => answer.status === 200);
      expect(accepted).toHaveLength(1);
      expect(duplicates).toHaveLength(49);
      const receiptId = accepted[0]?.body['receiptId'];
      for (const duplicate of duplicates) {
        expect(duplicate.body).toEqual({ status: 'duplicate', receiptId });
      }
      const stored = receipts(await storedEvents(api.dataDir)).filter(
        (event) => receiptOf(event).rawBody === body,
      );
      expect(stored.map((event) => event.id)).toEqual([receiptId]);
      expect(redeliveriesOf(api.dataDir, receiptId).count).toBe(49);
    });
  });

  describe('given a new COPE delivery that violates the contract', () => {
    it('when 20 copies arrive at once, then all are answered 422 with one receiptId and the same errors, and it is parked once', async () => {
      const event = copeTicketDelivery();
      const body = JSON.stringify({
        ...event,
        data: without(event['data'] as JsonObject, 'recipient'),
      });

      const answers = await Promise.all(Array.from({ length: 20 }, () => postCope(api, body)));

      expect(answers.map((answer) => answer.status)).toEqual(Array<number>(20).fill(422));
      const [first] = answers;
      for (const answer of answers) expect(answer.body).toEqual(first?.body);
      const parked = receipts(inStream(await storedEvents(api.dataDir), 'parked-cope')).filter(
        (stored) => receiptOf(stored).rawBody === body,
      );
      expect(parked.map((stored) => stored.id)).toEqual([first?.body['receiptId']]);
    });
  });

  describe('given COPE deliveries with an idempotency_key', () => {
    it('when a delivery with a new id but an idempotency_key already seen arrives for another ticket, then 200 duplicate naming the first receipt and the other ticket’s stream stays empty', async () => {
      const key = unique('idem');
      const first = copeTicketDelivery({ idempotencyKey: key });
      const second = copeTicketDelivery({ idempotencyKey: key });
      expect(second['id']).not.toBe(first['id']);
      expect(ticketStream(second)).not.toBe(ticketStream(first));

      const accepted = await postCope(api, JSON.stringify(first));
      const again = await postCope(api, JSON.stringify(second));

      expect(accepted.status).toBe(202);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate', receiptId: accepted.body['receiptId'] });
      expect(inStream(await storedEvents(api.dataDir), ticketStream(second))).toEqual([]);
    });

    it('when a delivery reuses an accepted source+id with another idempotency_key, then it is a duplicate too', async () => {
      const first = copeTicketDelivery();
      const second = { ...first, idempotency_key: unique('idem') };

      const accepted = await postCope(api, JSON.stringify(first));
      const again = await postCope(api, JSON.stringify(second));

      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate', receiptId: accepted.body['receiptId'] });
    });
  });

  describe('given a COPE delivery parked for a contract violation', () => {
    it('when a corrected body reuses its source+id, then it is validated afresh and accepted with a receipt of its own', async () => {
      const corrected = copeTicketDelivery();
      const broken = {
        ...corrected,
        data: without(corrected['data'] as JsonObject, 'recipient'),
      };
      const parked = await postCope(api, JSON.stringify(broken));
      expect(parked.status).toBe(422);

      const accepted = await postCope(api, JSON.stringify(corrected));

      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({
        status: 'accepted',
        streamId: ticketStream(corrected),
      });
      expect(accepted.body['receiptId']).not.toBe(parked.body['receiptId']);
      const events = await storedEvents(api.dataDir);
      expect(eventWithId(events, parked.body['receiptId']).streamId).toBe('parked-cope');
      expect(receiptOf(eventWithId(events, accepted.body['receiptId'])).outcome).toBe('accepted');

      const redelivered = await postCope(api, JSON.stringify(corrected));
      expect(redelivered.body).toEqual({
        status: 'duplicate',
        receiptId: accepted.body['receiptId'],
      });
    });
  });
});

describe('webhook deduplication across a restart', () => {
  it.each(['cope', 'ltd', 'ingresse'] as const)(
    'given a %s delivery accepted before the API restarts on the same data directory, when it arrives again after, then 200 duplicate naming the first receipt and nothing is appended',
    async (provider) => {
      let api = await startLedgerApi(PROVIDER_SECRETS);
      try {
        const body = JSON.stringify(BUILD[provider]());
        const first = await SEND[provider](api, body);
        expect(first.status).toBe(202);

        api = await api.restart();
        const before = (await storedEvents(api.dataDir)).length;
        const again = await SEND[provider](api, body);

        expect(again.status).toBe(200);
        expect(again.body).toEqual({ status: 'duplicate', receiptId: first.body['receiptId'] });
        await api.stop();
        expect((await storedEvents(api.dataDir)).length).toBe(before);
      } finally {
        await api.dispose();
      }
    },
  );
});
