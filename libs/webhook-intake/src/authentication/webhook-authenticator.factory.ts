import { HmacSha256Authenticator } from './hmac-sha256.authenticator.js';
import { StandardWebhooksAuthenticator } from './standard-webhooks.authenticator.js';
import { TokenAuthenticator } from './token.authenticator.js';
import {
  UNVERIFIED,
  type WebhookAuthSettings,
  type WebhookAuthenticator,
} from './webhook-authentication.js';

/** Accepts every request as unverified: no secret configured, or the scheme is 'off'. */
const UNAUTHENTICATED: WebhookAuthenticator = Object.freeze({
  authenticate: () => UNVERIFIED,
});

/**
 * The authenticator for one provider's settings. Keys are derived here, once, not per request.
 *
 * - No secret configured: every request is accepted with `signatureVerified: false` (the app
 *   warns at start, and refuses to start in production).
 * - `'off'`: the route answers 404 before authentication runs; should it run anyway, the
 *   returned authenticator accepts as unverified, like the no-secret case.
 *
 * @throws InvalidWebhookSecretError when a secret is empty or, for `standard-webhooks`, not
 *   `whsec_<base64>`; the message names the secret by position, never by value.
 * @throws RangeError when the tolerance is negative or not a number.
 */
export function createWebhookAuthenticator(settings: WebhookAuthSettings): WebhookAuthenticator {
  if (settings.scheme === 'off' || settings.secrets.length === 0) {
    return UNAUTHENTICATED;
  }
  switch (settings.scheme) {
    case 'standard-webhooks':
      return new StandardWebhooksAuthenticator(settings.secrets, settings.toleranceSeconds);
    case 'hmac-sha256':
      return new HmacSha256Authenticator(settings.secrets, settings.signatureHeader);
    case 'token':
      return new TokenAuthenticator(settings.secrets);
  }
}
