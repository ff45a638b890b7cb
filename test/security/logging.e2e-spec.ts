import { COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE, LTD_TRANSACTION_CHANGED_EXAMPLE } from '#testing';
import {
  COPE_SECRET,
  INGRESSE_TOKEN,
  LTD_TOKEN,
  PROVIDER_SECRETS,
  post,
  postCope,
  startLedgerApi,
} from '../support/ledger-api.harness.js';

const READER_KEY = 'reader-key-for-the-log-test';
const ADMIN_KEY = 'admin-key-for-the-log-test';

describe('structured logs', () => {
  it('given an authenticated flow, then every request has one JSON line with its request id, and no secret, key or personal data appears', async () => {
    const lines: string[] = [];
    const api = await startLedgerApi(
      { ...PROVIDER_SECRETS, API_KEYS: `${READER_KEY}:reader,${ADMIN_KEY}:admin` },
      undefined,
      lines,
    );
    const cope = JSON.stringify({ ...COPE_TICKET_DELIVERY_REQUESTED_EXAMPLE, id: 'log-test-1' });
    const accepted = await postCope(api, cope, { headers: { 'x-request-id': 'trace-me-123' } });
    const ltd = JSON.stringify(LTD_TRANSACTION_CHANGED_EXAMPLE);
    await post(`${api.url}/webhooks/ltd?token=${LTD_TOKEN}`, ltd);
    await post(`${api.url}/webhooks/ltd`, ltd, {
      headers: { authorization: 'Bearer wrong-token-xyz' },
    });
    await post(`${api.url}/webhooks/ingresse`, '{"webhook":"ticket"}', {
      headers: { authorization: `Bearer ${INGRESSE_TOKEN}` },
    });
    await fetch(`${api.url}/tickets/example_id?minPosition=${String(accepted.body['position'])}`, {
      headers: { authorization: `Bearer ${READER_KEY}` },
    });
    await fetch(`${api.url}/projections`, { headers: { authorization: `Bearer ${READER_KEY}` } });
    await fetch(`${api.url}/projections`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    await api.dispose();

    const log = lines.join('');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = entries.filter((entry) => entry['msg'] === 'request completed');
    expect(requests).toHaveLength(7);
    expect(requests.every((entry) => typeof entry['reqId'] === 'string')).toBe(true);
    expect(requests[0]).toMatchObject({
      reqId: 'trace-me-123',
      method: 'POST',
      path: '/webhooks/cope',
      statusCode: 202,
    });
    expect(accepted.headers.get('x-request-id')).toBe('trace-me-123');
    for (const secret of [
      COPE_SECRET,
      COPE_SECRET.slice('whsec_'.length),
      LTD_TOKEN,
      INGRESSE_TOKEN,
      'wrong-token-xyz',
      READER_KEY,
      ADMIN_KEY,
      'buyer@example.com',
      'example_name',
      'Morgan Better',
      '1234657',
    ]) {
      expect({ secret, found: log.includes(secret) }).toEqual({ secret, found: false });
    }
  });
});
