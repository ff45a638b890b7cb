import { createHmac, randomBytes } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

import { HmacSha256Authenticator } from './hmac-sha256.authenticator.js';
import { StandardWebhooksAuthenticator } from './standard-webhooks.authenticator.js';
import { TokenAuthenticator } from './token.authenticator.js';
import {
  DEFAULT_SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  InvalidWebhookSecretError,
  WEBHOOK_AUTH_SCHEMES,
  type WebhookAuthScheme,
  type WebhookAuthSettings,
  type WebhookRequestCredentials,
} from './webhook-authentication.js';
import { createWebhookAuthenticator } from './webhook-authenticator.factory.js';

const NOW = 1_700_000_000;
const BODY = '{"webhook":"ticket","data":{"id":1},"timestamp":"2024-05-01 10:00:00"}';

function settings(scheme: WebhookAuthScheme, secrets: readonly string[]): WebhookAuthSettings {
  return {
    scheme,
    secrets,
    signatureHeader: DEFAULT_SIGNATURE_HEADER,
    toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
  };
}

function request(
  headers: Record<string, string | undefined>,
  query: Record<string, unknown> = {},
  body = BODY,
): WebhookRequestCredentials {
  return { headers, query, rawBody: Buffer.from(body) };
}

describe('createWebhookAuthenticator', () => {
  it.each(WEBHOOK_AUTH_SCHEMES)(
    'given the %s scheme and no secret, when any request arrives, then it is accepted unverified',
    (scheme) => {
      const authenticator = createWebhookAuthenticator(settings(scheme, []));

      expect(authenticator.authenticate(request({}), NOW)).toEqual({
        ok: true,
        signatureVerified: false,
      });
    },
  );

  it('given the off scheme with secrets, when a request reaches it anyway, then it is accepted unverified', () => {
    const authenticator = createWebhookAuthenticator(settings('off', ['whatever']));

    expect(authenticator.authenticate(request({}), NOW)).toEqual({
      ok: true,
      signatureVerified: false,
    });
  });

  it.each([
    [
      'standard-webhooks',
      `whsec_${randomBytes(24).toString('base64')}`,
      StandardWebhooksAuthenticator,
    ],
    ['hmac-sha256', 'hmac-secret', HmacSha256Authenticator],
    ['token', 'token-secret', TokenAuthenticator],
  ] as const)(
    'given the %s scheme with a secret, when created, then that scheme authenticates',
    (scheme, secret, type) => {
      const authenticator = createWebhookAuthenticator(settings(scheme, [secret]));

      expect(authenticator).toBeInstanceOf(type);
      expect(authenticator.authenticate(request({}), NOW).ok).toBe(false);
    },
  );

  it('given hmac-sha256 settings with a custom header, when created, then the header is used', () => {
    const authenticator = createWebhookAuthenticator({
      ...settings('hmac-sha256', ['s']),
      signatureHeader: 'x-ltd-signature',
    });
    const signature = createHmac('sha256', 's').update(BODY).digest('hex');

    expect(authenticator.authenticate(request({ 'x-ltd-signature': signature }), NOW).ok).toBe(
      true,
    );
  });

  it('given standard-webhooks settings with a tolerance, when created, then the tolerance applies', () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const authenticator = createWebhookAuthenticator({
      ...settings('standard-webhooks', [secret]),
      toleranceSeconds: 5,
    });
    const at = NOW - 6;
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(at),
      'webhook-signature': new Webhook(secret).sign('msg_1', new Date(at * 1000), BODY),
    };

    expect(authenticator.authenticate(request(headers), NOW).ok).toBe(false);
    expect(authenticator.authenticate(request(headers), NOW - 1).ok).toBe(true);
  });

  it('given a standard-webhooks secret that is not base64, when created, then it fails naming only its position', () => {
    expect(() =>
      createWebhookAuthenticator(settings('standard-webhooks', ['whsec_%%%secret%%%'])),
    ).toThrow(new InvalidWebhookSecretError('standard-webhooks', 0, 'is not whsec_<base64>'));
  });

  describe('failure reasons', () => {
    const standardSecret = `whsec_${randomBytes(24).toString('base64')}`;
    const standardKey = standardSecret.slice('whsec_'.length);
    const hmacSecret = 'hmac-secret-do-not-leak';
    const tokenSecret = 'token-secret-do-not-leak';
    const standard = createWebhookAuthenticator(settings('standard-webhooks', [standardSecret]));
    const hmac = createWebhookAuthenticator(settings('hmac-sha256', [hmacSecret]));
    const token = createWebhookAuthenticator(settings('token', [tokenSecret]));

    const expectedStandard = new Webhook(standardSecret).sign('msg_1', new Date(NOW * 1000), BODY);
    const expectedHmac = createHmac('sha256', hmacSecret).update(BODY).digest();
    const standardHeaders = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(NOW),
      'webhook-signature': expectedStandard,
    };

    const failures: [string, () => ReturnType<typeof standard.authenticate>][] = [
      ['standard: no headers', () => standard.authenticate(request({}), NOW)],
      [
        'standard: other body',
        () => standard.authenticate(request(standardHeaders, {}, `${BODY} `), NOW),
      ],
      ['standard: stale', () => standard.authenticate(request(standardHeaders), NOW + 3600)],
      ['standard: future', () => standard.authenticate(request(standardHeaders), NOW - 3600)],
      [
        'standard: bad timestamp',
        () =>
          standard.authenticate(
            request({ ...standardHeaders, 'webhook-timestamp': `${NOW}.0` }),
            NOW,
          ),
      ],
      [
        'standard: no v1',
        () =>
          standard.authenticate(
            request({ ...standardHeaders, 'webhook-signature': `v2,${standardKey}` }),
            NOW,
          ),
      ],
      ['hmac: missing', () => hmac.authenticate(request({}), NOW)],
      ['hmac: malformed', () => hmac.authenticate(request({ 'x-signature': hmacSecret }), NOW)],
      [
        'hmac: other body',
        () =>
          hmac.authenticate(
            request({ 'x-signature': expectedHmac.toString('hex') }, {}, `${BODY} `),
            NOW,
          ),
      ],
      ['token: missing', () => token.authenticate(request({}), NOW)],
      [
        'token: prefix of the secret',
        () =>
          token.authenticate(request({ authorization: `Bearer ${tokenSecret.slice(0, 10)}` }), NOW),
      ],
      [
        'token: not bearer',
        () => token.authenticate(request({ authorization: `Token ${tokenSecret}` }), NOW),
      ],
      ['token: wrong query', () => token.authenticate(request({}, { token: 'x' }), NOW)],
    ];

    const mustNotAppear = [
      standardSecret,
      standardKey,
      expectedStandard,
      expectedStandard.slice('v1,'.length),
      hmacSecret,
      expectedHmac.toString('hex'),
      expectedHmac.toString('base64'),
      tokenSecret,
      tokenSecret.slice(0, 10),
      BODY,
      'ticket',
    ];

    it.each(failures)(
      'given a failing request (%s), when authenticated, then the reason names no secret, signature or body',
      (_case, authenticate) => {
        const result = authenticate();

        expect(result.ok).toBe(false);
        const reason = result.ok ? '' : result.reason;
        expect(reason.length).toBeGreaterThan(0);
        for (const forbidden of mustNotAppear) {
          expect(reason).not.toContain(forbidden);
        }
      },
    );
  });
});
