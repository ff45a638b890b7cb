import {
  COPE_EXAMPLES,
  INGRESSE_EXAMPLES,
  LTD_EXAMPLES,
  LTD_TRANSACTION_CHANGED_SEED_TEXT,
} from '#testing';
import {
  PROVIDER_SECRETS,
  postCope,
  postIngresse,
  postLtd,
  startLedgerApi,
  type RunningLedgerApi,
} from '../support/ledger-api.harness.js';

describe('the seeds’ example webhooks over HTTP', () => {
  let api: RunningLedgerApi;

  beforeAll(async () => {
    api = await startLedgerApi(PROVIDER_SECRETS);
  });

  afterAll(async () => {
    await api.dispose();
  });

  it.each(Object.entries(COPE_EXAMPLES))('accepts the COPE %s example', async (_name, example) => {
    const answer = await postCope(api, JSON.stringify(example));

    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      status: 'accepted',
      events: expect.arrayContaining(['WebhookReceived']) as unknown,
    });
  });

  it.each(Object.entries(LTD_EXAMPLES))('accepts the LTD %s example', async (_name, example) => {
    const answer = await postLtd(api, JSON.stringify(example));

    expect(answer.status).toBe(202);
    expect(answer.body['status']).toBe('accepted');
  });

  it.each(INGRESSE_EXAMPLES.map((example, index) => [index, example] as const))(
    'accepts Ingresse example %s',
    async (_index, example) => {
      const answer = await postIngresse(api, JSON.stringify(example));

      expect(answer.status).toBe(202);
      expect(answer.body['streamId']).toBe(`tickettype-ingresse.${String(example.data.id)}`);
    },
  );

  it('answers the LTD TransactionChanged example as documented (not valid JSON) with 400', async () => {
    const answer = await postLtd(api, LTD_TRANSACTION_CHANGED_SEED_TEXT);

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });
});
