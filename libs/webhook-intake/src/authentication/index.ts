export {
  DEFAULT_SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  InvalidWebhookSecretError,
  WEBHOOK_AUTH_SCHEMES,
  type AuthenticationResult,
  type WebhookAuthScheme,
  type WebhookAuthSettings,
  type WebhookAuthenticator,
  type WebhookRequestCredentials,
} from './webhook-authentication.js';
export { createWebhookAuthenticator } from './webhook-authenticator.factory.js';
export { HmacSha256Authenticator } from './hmac-sha256.authenticator.js';
export { StandardWebhooksAuthenticator } from './standard-webhooks.authenticator.js';
export { TokenAuthenticator } from './token.authenticator.js';
