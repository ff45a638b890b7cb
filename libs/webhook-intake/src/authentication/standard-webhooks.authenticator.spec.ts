import { createHmac, randomBytes } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

import { StandardWebhooksAuthenticator } from './standard-webhooks.authenticator.js';
import {
  InvalidWebhookSecretError,
  type WebhookRequestCredentials,
} from './webhook-authentication.js';

const NOW = 1_700_000_000;
const TOLERANCE = 300;
const BODY = '{"specversion":"1.0","id":"evt_1","source":"cope.ticketing","type":"x"}';
const MESSAGE_ID = 'msg_2b1Qp7YxW9';

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Signs with the reference implementation, as a COPE sender would. */
function sign(secret: string, body: string, id = MESSAGE_ID, at = NOW): string {
  return new Webhook(secret).sign(id, new Date(at * 1000), body);
}

function request(
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer = BODY,
): WebhookRequestCredentials {
  return { headers, query: {}, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

function signedRequest(secret: string, overrides: Record<string, string | string[]> = {}) {
  return request({
    'content-type': 'application/cloudevents+json',
    'webhook-id': MESSAGE_ID,
    'webhook-timestamp': String(NOW),
    'webhook-signature': sign(secret, BODY),
    ...overrides,
  });
}

describe('StandardWebhooksAuthenticator', () => {
  const secret = newSecret();
  const authenticator = new StandardWebhooksAuthenticator([secret], TOLERANCE);

  it('given a delivery signed by the reference library, when authenticated, then it is accepted as verified', () => {
    expect(authenticator.authenticate(signedRequest(secret), NOW)).toEqual({
      ok: true,
      signatureVerified: true,
    });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'given a delivery without the %s header, when authenticated, then it is rejected naming the header',
    (header) => {
      const headers = Object.fromEntries(
        Object.entries(signedRequest(secret).headers).filter(([name]) => name !== header),
      );

      expect(authenticator.authenticate(request(headers), NOW)).toEqual({
        ok: false,
        reason: `${header} header is missing`,
      });
    },
  );

  it('given an empty webhook-id header, when authenticated, then it is rejected as missing', () => {
    expect(authenticator.authenticate(signedRequest(secret, { 'webhook-id': '' }), NOW)).toEqual({
      ok: false,
      reason: 'webhook-id header is missing',
    });
  });

  it('given a delivery signed with another secret, when authenticated, then no signature matches', () => {
    const result = authenticator.authenticate(signedRequest(newSecret()), NOW);

    expect(result).toEqual({ ok: false, reason: 'no signature matches' });
  });

  it('given a signature over other bytes, when authenticated, then no signature matches', () => {
    const tampered = request({ ...signedRequest(secret).headers }, BODY.replace('evt_1', 'evt_2'));

    expect(authenticator.authenticate(tampered, NOW)).toEqual({
      ok: false,
      reason: 'no signature matches',
    });
  });

  it('given the body re-serialised with other whitespace, when authenticated, then no signature matches', () => {
    const reformatted = request(
      { ...signedRequest(secret).headers },
      JSON.stringify(JSON.parse(BODY), null, 2),
    );

    expect(authenticator.authenticate(reformatted, NOW).ok).toBe(false);
  });

  it('given a signature made for another webhook-id, when authenticated, then no signature matches', () => {
    const result = authenticator.authenticate(
      signedRequest(secret, { 'webhook-id': 'msg_other' }),
      NOW,
    );

    expect(result).toEqual({ ok: false, reason: 'no signature matches' });
  });

  it('given a signature made for another timestamp, when authenticated, then no signature matches', () => {
    const result = authenticator.authenticate(
      signedRequest(secret, { 'webhook-timestamp': String(NOW + 1) }),
      NOW,
    );

    expect(result).toEqual({ ok: false, reason: 'no signature matches' });
  });

  describe('timestamp tolerance', () => {
    function signedAt(at: number) {
      return request({
        'webhook-id': MESSAGE_ID,
        'webhook-timestamp': String(at),
        'webhook-signature': sign(secret, BODY, MESSAGE_ID, at),
      });
    }

    it('given a timestamp older than the tolerance, when authenticated, then it is rejected as too old', () => {
      expect(authenticator.authenticate(signedAt(NOW - TOLERANCE - 1), NOW)).toEqual({
        ok: false,
        reason: 'webhook-timestamp is too old (outside the tolerance)',
      });
    });

    it('given a timestamp further in the future than the tolerance, when authenticated, then it is rejected', () => {
      expect(authenticator.authenticate(signedAt(NOW + TOLERANCE + 1), NOW)).toEqual({
        ok: false,
        reason: 'webhook-timestamp is too far in the future (outside the tolerance)',
      });
    });

    it.each([-TOLERANCE, TOLERANCE])(
      'given a timestamp exactly %p seconds from now, when authenticated, then it is accepted',
      (offset) => {
        expect(authenticator.authenticate(signedAt(NOW + offset), NOW).ok).toBe(true);
      },
    );

    it('given a fractional current time within the tolerance, when authenticated, then it is accepted', () => {
      expect(authenticator.authenticate(signedAt(NOW), NOW + 0.75).ok).toBe(true);
    });

    it('given a configured tolerance of 10 seconds, when a delivery is 11 seconds old, then it is rejected', () => {
      const strict = new StandardWebhooksAuthenticator([secret], 10);

      expect(strict.authenticate(signedAt(NOW - 11), NOW).ok).toBe(false);
      expect(strict.authenticate(signedAt(NOW - 10), NOW).ok).toBe(true);
    });

    // WEBHOOK_TOLERANCE_SECONDS=0 is allowed: strict, not a switch that rejects everything
    // (the intake passes the current time in whole seconds).
    it('given a tolerance of 0, when a delivery is signed in the current second, then only that second is accepted', () => {
      const exact = new StandardWebhooksAuthenticator([secret], 0);

      expect(exact.authenticate(signedAt(NOW), NOW).ok).toBe(true);
      expect(exact.authenticate(signedAt(NOW - 1), NOW).ok).toBe(false);
      expect(exact.authenticate(signedAt(NOW + 1), NOW).ok).toBe(false);
    });

    it.each([
      '1700000000.5',
      '1.7e9',
      'abc',
      '-1700000000',
      '+1700000000',
      '01700000000',
      ' ',
      '0x65',
    ])(
      'given the non-integer timestamp %p, when authenticated, then it is rejected before any signature check',
      (timestamp) => {
        expect(
          authenticator.authenticate(
            signedRequest(secret, { 'webhook-timestamp': timestamp }),
            NOW,
          ),
        ).toEqual({
          ok: false,
          reason:
            timestamp.trim() === ''
              ? 'webhook-timestamp header is missing'
              : 'webhook-timestamp header is not a unix time in whole seconds',
        });
      },
    );
  });

  describe('rotation and several signatures', () => {
    const oldSecret = newSecret();
    const newSecretValue = newSecret();
    const rotating = new StandardWebhooksAuthenticator([oldSecret, newSecretValue], TOLERANCE);

    it('given two secrets, when a delivery is signed with the second, then it is accepted', () => {
      expect(rotating.authenticate(signedRequest(newSecretValue), NOW)).toEqual({
        ok: true,
        signatureVerified: true,
      });
    });

    it('given two secrets, when a delivery is signed with the first, then it is accepted', () => {
      expect(rotating.authenticate(signedRequest(oldSecret), NOW).ok).toBe(true);
    });

    it('given several signatures of which one is valid, when authenticated, then it is accepted', () => {
      const header = [sign(newSecret(), BODY), sign(secret, BODY), sign(newSecret(), BODY)].join(
        ' ',
      );

      expect(
        authenticator.authenticate(signedRequest(secret, { 'webhook-signature': header }), NOW).ok,
      ).toBe(true);
    });

    it('given a valid signature among other versions and malformed entries, when authenticated, then it is accepted', () => {
      const valid = sign(secret, BODY);
      const header = `v1a,${randomBytes(64).toString('base64')}  v2,abc v1,short ${valid}`;

      expect(
        authenticator.authenticate(signedRequest(secret, { 'webhook-signature': header }), NOW).ok,
      ).toBe(true);
    });

    it('given repeated webhook-signature headers joined by Node with a comma, when one is valid, then it is accepted', () => {
      const header = `${sign(newSecret(), BODY)}, ${sign(secret, BODY)}`;

      expect(
        authenticator.authenticate(signedRequest(secret, { 'webhook-signature': header }), NOW).ok,
      ).toBe(true);
    });

    it('given webhook-signature as several header values, when one is valid, then it is accepted', () => {
      const values = [sign(newSecret(), BODY), sign(secret, BODY)];

      expect(
        authenticator.authenticate(signedRequest(secret, { 'webhook-signature': values }), NOW).ok,
      ).toBe(true);
    });

    it('given only signatures of another version, when authenticated, then it is rejected as holding no v1 signature', () => {
      const result = authenticator.authenticate(
        signedRequest(secret, { 'webhook-signature': `v1a,${sign(secret, BODY).slice(3)}` }),
        NOW,
      );

      expect(result).toEqual({
        ok: false,
        reason: 'webhook-signature header holds no v1 signature',
      });
    });

    it('given two different webhook-id values, when authenticated, then it is rejected as repeated', () => {
      const result = authenticator.authenticate(
        signedRequest(secret, { 'webhook-id': [MESSAGE_ID, 'msg_other'] }),
        NOW,
      );

      expect(result).toEqual({ ok: false, reason: 'webhook-id header is repeated' });
    });
  });

  describe('secrets and bytes', () => {
    it('given a secret without the whsec_ prefix, when a delivery is signed with it, then it is accepted', () => {
      const bare = randomBytes(32).toString('base64');
      const bareAuthenticator = new StandardWebhooksAuthenticator([bare], TOLERANCE);

      expect(bareAuthenticator.authenticate(signedRequest(bare), NOW).ok).toBe(true);
    });

    it('given a body that is not valid UTF-8, when signed over its raw bytes, then it is accepted', () => {
      const body = Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28, 0x7d]);
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      const signature = createHmac('sha256', key)
        .update(Buffer.concat([Buffer.from(`${MESSAGE_ID}.${NOW}.`), body]))
        .digest('base64');
      const headers = {
        'webhook-id': MESSAGE_ID,
        'webhook-timestamp': String(NOW),
        'webhook-signature': `v1,${signature}`,
      };

      expect(authenticator.authenticate(request(headers, body), NOW).ok).toBe(true);
      expect(
        authenticator.authenticate(request(headers, Buffer.from(body.toString('utf8'))), NOW).ok,
      ).toBe(false);
    });

    it('given a non-ASCII webhook-id as Node decodes header bytes, when authenticated, then it is accepted', () => {
      const id = 'msg_é€';
      const headers = {
        // Node hands header bytes over as latin1; the sender signed the UTF-8 bytes.
        'webhook-id': Buffer.from(id, 'utf8').toString('latin1'),
        'webhook-timestamp': String(NOW),
        'webhook-signature': sign(secret, BODY, id),
      };

      expect(authenticator.authenticate(request(headers), NOW).ok).toBe(true);
    });

    it.each(['whsec_', 'whsec_not base64!', 'whsec_YWJj-_', ''])(
      'given the unusable secret %p, when constructing, then it fails without echoing the secret',
      (bad) => {
        const error = captureError(() => new StandardWebhooksAuthenticator([secret, bad], 300));

        expect(error).toBeInstanceOf(InvalidWebhookSecretError);
        expect((error as InvalidWebhookSecretError).secretIndex).toBe(1);
        expect((error as Error).message).toMatch(/^standard-webhooks secret #2 /);
        if (bad.length > 'whsec_'.length) {
          expect((error as Error).message).not.toContain(bad);
        }
      },
    );

    it('given no secret, when constructing, then it fails', () => {
      expect(() => new StandardWebhooksAuthenticator([], 300)).toThrow(RangeError);
    });

    it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
      'given the tolerance %p, when constructing, then it fails',
      (tolerance) => {
        expect(() => new StandardWebhooksAuthenticator([secret], tolerance)).toThrow(RangeError);
      },
    );
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}
