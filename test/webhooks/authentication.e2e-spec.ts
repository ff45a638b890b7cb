// The authentication matrix of intake.md ("Authentication"), scheme by scheme, over HTTP;
// COPE deliveries are signed by the reference `standardwebhooks` signer.
import { createHmac, randomBytes } from 'node:crypto';
import { expectProblem, type Answer } from '../support/http-answers.js';
import {
  copeTicketDelivery,
  ingresseTicketType,
  ltdTransaction,
} from '../support/intake-fixtures.js';
import { eventWithId, receiptOf, storedEvents } from '../support/intake-store.js';
import {
  COPE_SECRET,
  INGRESSE_TOKEN,
  post,
  standardWebhookHeaders,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

const CLOUDEVENT = 'application/cloudevents+json';
const TOLERANCE_SECONDS = 60;
/** The secret COPE rotates to; COPE_SECRET is the one it rotates from. */
const NEW_COPE_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const UNKNOWN_COPE_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const LTD_HMAC_SECRET = 'ltd-hmac-secret-for-e2e';
const LTD_SIGNATURE_HEADER = 'X-LTD-Signature';
const ALL_SECRETS = [
  COPE_SECRET,
  COPE_SECRET.slice('whsec_'.length),
  NEW_COPE_SECRET.slice('whsec_'.length),
  LTD_HMAC_SECRET,
  INGRESSE_TOKEN,
];

function hmac(secret: string, body: string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest();
}

function secondsAgo(seconds: number): Date {
  return new Date(Date.now() - seconds * 1000);
}

describe('webhook authentication, each scheme configured', () => {
  let api: RunningLedgerApi;
  let storedBefore: number;

  beforeAll(async () => {
    api = await startLedgerApi({
      COPE_WEBHOOK_SECRET: `${COPE_SECRET},${NEW_COPE_SECRET}`,
      WEBHOOK_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS),
      LTD_WEBHOOK_AUTH: 'hmac-sha256',
      LTD_WEBHOOK_SECRET: LTD_HMAC_SECRET,
      LTD_WEBHOOK_SIGNATURE_HEADER: LTD_SIGNATURE_HEADER,
      INGRESSE_WEBHOOK_SECRET: INGRESSE_TOKEN,
    });
  });

  afterAll(async () => {
    await api.dispose();
  });

  beforeEach(async () => {
    storedBefore = (await storedEvents(api.dataDir)).length;
  });

  /** 401 problem details that say nothing secret, and nothing of the delivery stored. */
  async function expectUnauthorized(answer: Answer): Promise<void> {
    expectProblem(answer, 401);
    const text = JSON.stringify(answer.body);
    for (const secret of ALL_SECRETS) expect(text).not.toContain(secret);
    expect((await storedEvents(api.dataDir)).length).toBe(storedBefore);
  }

  /** 202 accepted, and the stored receipt says a secret vouched for it. */
  async function expectVerifiedAndAccepted(answer: Answer): Promise<void> {
    expect(answer.status).toBe(202);
    const receipt = receiptOf(
      eventWithId(await storedEvents(api.dataDir), answer.body['receiptId']),
    );
    expect(receipt.signatureVerified).toBe(true);
    expect(Object.keys(receipt.headers)).not.toContain('authorization');
  }

  describe('standard-webhooks (COPE, COPE_WEBHOOK_SECRET="old,new")', () => {
    const cope = (body: string, headers: Record<string, string>) =>
      post(`${api.url}/webhooks/cope`, body, { contentType: CLOUDEVENT, headers });

    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
      'given a signed delivery, when its %s header is missing, then 401 and nothing is stored',
      async (missing) => {
        const body = JSON.stringify(copeTicketDelivery());
        const headers = Object.fromEntries(
          Object.entries(standardWebhookHeaders(body)).filter(([name]) => name !== missing),
        );

        await expectUnauthorized(await cope(body, headers));
      },
    );

    it('given a delivery signed with a secret not configured, when it arrives, then 401', async () => {
      const body = JSON.stringify(copeTicketDelivery());

      await expectUnauthorized(
        await cope(body, standardWebhookHeaders(body, { secret: UNKNOWN_COPE_SECRET })),
      );
    });

    it('given a signature header holding no valid v1 signature, when it arrives, then 401', async () => {
      const body = JSON.stringify(copeTicketDelivery());
      const headers = {
        ...standardWebhookHeaders(body),
        'webhook-signature': `v1,${randomBytes(32).toString('base64')} v1,not-base64!`,
      };

      await expectUnauthorized(await cope(body, headers));
    });

    it(`given a timestamp older than WEBHOOK_TOLERANCE_SECONDS (${TOLERANCE_SECONDS}), when a correctly signed delivery arrives, then 401`, async () => {
      const body = JSON.stringify(copeTicketDelivery());
      const stale = standardWebhookHeaders(body, { at: secondsAgo(TOLERANCE_SECONDS + 60) });

      await expectUnauthorized(await cope(body, stale));
    });

    it('given a timestamp further in the future than the tolerance, when a correctly signed delivery arrives, then 401', async () => {
      const body = JSON.stringify(copeTicketDelivery());
      const future = standardWebhookHeaders(body, { at: secondsAgo(-(TOLERANCE_SECONDS + 60)) });

      await expectUnauthorized(await cope(body, future));
    });

    it('given a timestamp within the tolerance, when a correctly signed delivery arrives, then it is accepted', async () => {
      const body = JSON.stringify(copeTicketDelivery());
      const recent = standardWebhookHeaders(body, { at: secondsAgo(TOLERANCE_SECONDS - 20) });

      await expectVerifiedAndAccepted(await cope(body, recent));
    });

    it('given headers signed over other bytes, when they come with this body, then 401', async () => {
      const signed = JSON.stringify(copeTicketDelivery());
      const sent = JSON.stringify(JSON.parse(signed), null, 2);

      await expectUnauthorized(await cope(sent, standardWebhookHeaders(signed)));
    });

    it.each([
      ['the old secret', COPE_SECRET],
      ['the new secret', NEW_COPE_SECRET],
    ])(
      'given a rotation, when a delivery is signed with %s, then it is accepted as verified',
      async (_which, secret) => {
        const body = JSON.stringify(copeTicketDelivery());

        await expectVerifiedAndAccepted(await cope(body, standardWebhookHeaders(body, { secret })));
      },
    );

    it('given several signatures in the header, when only one of them matches, then it is accepted', async () => {
      const body = JSON.stringify(copeTicketDelivery());
      const signed = standardWebhookHeaders(body, { secret: NEW_COPE_SECRET });
      const other = standardWebhookHeaders(body, {
        secret: UNKNOWN_COPE_SECRET,
        id: signed['webhook-id'],
      });
      const headers = {
        ...signed,
        'webhook-signature': `${other['webhook-signature'] ?? ''} ${signed['webhook-signature'] ?? ''}`,
      };

      await expectVerifiedAndAccepted(await cope(body, headers));
    });
  });

  describe(`hmac-sha256 (LTD, in ${LTD_SIGNATURE_HEADER})`, () => {
    const ltd = (body: string, headers: Record<string, string>) =>
      post(`${api.url}/webhooks/ltd`, body, { headers });

    it.each([
      ['hex', (signature: Buffer) => signature.toString('hex')],
      ['sha256= and hex', (signature: Buffer) => `sha256=${signature.toString('hex')}`],
      ['base64', (signature: Buffer) => signature.toString('base64')],
    ])(
      'given the HMAC of the raw body as %s in the configured header, when it arrives, then it is accepted as verified',
      async (_form, encode) => {
        const body = JSON.stringify(ltdTransaction());

        const answer = await ltd(body, {
          [LTD_SIGNATURE_HEADER]: encode(hmac(LTD_HMAC_SECRET, body)),
        });

        await expectVerifiedAndAccepted(answer);
      },
    );

    it('given the HMAC under another secret, when it arrives, then 401', async () => {
      const body = JSON.stringify(ltdTransaction());

      await expectUnauthorized(
        await ltd(body, { [LTD_SIGNATURE_HEADER]: hmac('another', body).toString('hex') }),
      );
    });

    it('given the HMAC of other bytes, when it arrives with this body, then 401', async () => {
      const body = JSON.stringify(ltdTransaction());
      const signature = hmac(LTD_HMAC_SECRET, `${body} `).toString('hex');

      await expectUnauthorized(await ltd(body, { [LTD_SIGNATURE_HEADER]: signature }));
    });

    it('given a valid HMAC in the default x-signature header instead of the configured one, when it arrives, then 401', async () => {
      const body = JSON.stringify(ltdTransaction());

      await expectUnauthorized(
        await ltd(body, { 'x-signature': hmac(LTD_HMAC_SECRET, body).toString('hex') }),
      );
    });

    it('given no signature but the secret as a Bearer token, when it arrives, then 401', async () => {
      const body = JSON.stringify(ltdTransaction());

      await expectUnauthorized(await ltd(body, { authorization: `Bearer ${LTD_HMAC_SECRET}` }));
    });
  });

  describe('token (Ingresse)', () => {
    const ingresse = (body: string, headers: Record<string, string> = {}, query = '') =>
      post(`${api.url}/webhooks/ingresse${query}`, body, { headers });

    it('given the token as Authorization: Bearer, when it arrives, then it is accepted as verified', async () => {
      const answer = await ingresse(JSON.stringify(ingresseTicketType()), {
        authorization: `Bearer ${INGRESSE_TOKEN}`,
      });

      await expectVerifiedAndAccepted(answer);
    });

    it('given the token as a ?token= query parameter, when it arrives, then it is accepted as verified', async () => {
      const answer = await ingresse(
        JSON.stringify(ingresseTicketType()),
        {},
        `?token=${encodeURIComponent(INGRESSE_TOKEN)}`,
      );

      await expectVerifiedAndAccepted(answer);
    });

    it.each([
      ['a wrong Bearer token', { authorization: `Bearer ${INGRESSE_TOKEN}x` }, ''],
      ['a wrong ?token=', {}, '?token=wrong'],
      ['another scheme', { authorization: `Basic ${INGRESSE_TOKEN}` }, ''],
      ['no token at all', {}, ''],
    ])('given %s, when it arrives, then 401', async (_case, headers, query) => {
      await expectUnauthorized(
        await ingresse(JSON.stringify(ingresseTicketType()), headers, query),
      );
    });
  });
});

describe('webhook authentication, off or without secrets', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    // COPE and Ingresse keep their schemes but have no secret; LTD is switched off.
    api = await startLedgerApi({ LTD_WEBHOOK_AUTH: 'off', LTD_WEBHOOK_SECRET: 'ignored' });
  });

  afterAll(async () => {
    await api.dispose();
  });

  it('given LTD_WEBHOOK_AUTH=off, when an LTD delivery arrives, then 404 problem details and nothing is stored', async () => {
    const before = (await storedEvents(api.dataDir)).length;

    const answer = await post(`${api.url}/webhooks/ltd`, JSON.stringify(ltdTransaction()), {
      headers: { authorization: 'Bearer ignored' },
    });

    expectProblem(answer, 404);
    expect((await storedEvents(api.dataDir)).length).toBe(before);
  });

  // `off` means no route: 404 is answered before Fastify judges the body's type or size.
  it.each([
    ['text/plain', 'MessageType=TransactionChanged'],
    ['application/xml', '<TransactionChanged/>'],
    ['application/json', JSON.stringify({ padding: 'x'.repeat(1_048_576) })],
    ['text/plain', 'x'.repeat(1_048_577)],
  ])(
    'given LTD_WEBHOOK_AUTH=off, when a %s body that is not JSON or over WEBHOOK_MAX_BYTES arrives, then still 404 problem details and nothing is stored',
    async (contentType, body) => {
      const before = (await storedEvents(api.dataDir)).length;

      const answer = await post(`${api.url}/webhooks/ltd`, body, {
        contentType,
        headers: { authorization: 'Bearer ignored' },
      });

      expectProblem(answer, 404);
      expect((await storedEvents(api.dataDir)).length).toBe(before);
    },
  );

  it('given a provider that does not exist, when a body that is not JSON arrives, then 404, not 415', async () => {
    expectProblem(
      await post(`${api.url}/webhooks/eventbrite`, 'hello', { contentType: 'text/plain' }),
      404,
    );
  });

  it('given a provider that is not off, when a body that is not JSON arrives, then 415 as before', async () => {
    expectProblem(
      await post(`${api.url}/webhooks/ingresse`, 'hello', { contentType: 'text/plain' }),
      415,
    );
  });

  it.each([
    ['cope', CLOUDEVENT, () => copeTicketDelivery()],
    ['ingresse', 'application/json', () => ingresseTicketType()],
  ])(
    'given no %s secret configured, when an unsigned delivery arrives, then it is accepted and its receipt says signatureVerified: false',
    async (provider, contentType, build) => {
      const answer = await post(`${api.url}/webhooks/${provider}`, JSON.stringify(build()), {
        contentType,
      });

      expect(answer.status).toBe(202);
      const receipt = receiptOf(
        eventWithId(await storedEvents(api.dataDir), answer.body['receiptId']),
      );
      expect(receipt.signatureVerified).toBe(false);
    },
  );

  it('given a provider that does not exist, when a delivery arrives, then 404', async () => {
    expectProblem(await post(`${api.url}/webhooks/eventbrite`, '{}'), 404);
  });
});
