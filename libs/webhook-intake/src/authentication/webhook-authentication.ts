/** How a provider's webhook deliveries are authenticated (`<PROVIDER>_WEBHOOK_AUTH`). */
export type WebhookAuthScheme = 'standard-webhooks' | 'hmac-sha256' | 'token' | 'off';

export const WEBHOOK_AUTH_SCHEMES: readonly WebhookAuthScheme[] = [
  'standard-webhooks',
  'hmac-sha256',
  'token',
  'off',
];

export const DEFAULT_SIGNATURE_HEADER = 'x-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export interface WebhookAuthSettings {
  readonly scheme: WebhookAuthScheme;
  /** Every secret currently valid (several during a rotation); empty = unauthenticated. */
  readonly secrets: readonly string[];
  /** Header carrying the `hmac-sha256` signature, lower-case (default `x-signature`). */
  readonly signatureHeader: string;
  /** Allowed clock difference for `standard-webhooks` timestamps, in seconds. */
  readonly toleranceSeconds: number;
}

/** The parts of an HTTP request that authentication looks at. */
export interface WebhookRequestCredentials {
  /** Lower-case header names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly query: Readonly<Record<string, unknown>>;
  /** The body exactly as received: signatures are over these bytes. */
  readonly rawBody: Buffer;
}

/**
 * `signatureVerified` is true when a configured secret vouched for the request (a signature or
 * a token matched), false when no secret is configured. `reason` is safe to put in a 401 problem
 * detail: it never holds a secret, an expected signature or the body.
 */
export type AuthenticationResult =
  | { readonly ok: true; readonly signatureVerified: boolean }
  | { readonly ok: false; readonly reason: string };

export interface WebhookAuthenticator {
  /** @param nowSeconds the current unix time in seconds, for timestamp tolerance. */
  authenticate(request: WebhookRequestCredentials, nowSeconds: number): AuthenticationResult;
}

/**
 * A secret cannot be used for its scheme. The message names the secret by its position in the
 * list, never by its value, so it can go to the start-up log.
 */
export class InvalidWebhookSecretError extends Error {
  override readonly name = 'InvalidWebhookSecretError';

  constructor(
    readonly scheme: WebhookAuthScheme,
    /** Zero-based position of the secret in the configured list. */
    readonly secretIndex: number,
    problem: string,
  ) {
    super(`${scheme} secret #${secretIndex + 1} ${problem}`);
  }
}

// Shared results: the hot path allocates nothing for a success.
export const VERIFIED: AuthenticationResult = Object.freeze({ ok: true, signatureVerified: true });
export const UNVERIFIED: AuthenticationResult = Object.freeze({
  ok: true,
  signatureVerified: false,
});

export function rejected(reason: string): AuthenticationResult {
  return { ok: false, reason };
}

export type SingleHeader =
  | { readonly found: true; readonly value: string }
  | { readonly found: false; readonly reason: string };

/**
 * One header's value. Node joins most repeated headers into one string; an array (from another
 * adapter) with several values is ambiguous for a credential, so it is refused. An empty value
 * counts as missing.
 */
export function readSingleHeader(
  headers: WebhookRequestCredentials['headers'],
  name: string,
): SingleHeader {
  const raw = headers[name];
  let value: string | undefined;
  if (Array.isArray(raw)) {
    if (raw.length > 1) {
      return { found: false, reason: `${name} header is repeated` };
    }
    value = raw[0];
  } else {
    value = raw;
  }
  if (value === undefined || value.trim() === '') {
    return { found: false, reason: `${name} header is missing` };
  }
  return { found: true, value };
}

export function assertSecretsUsable(scheme: WebhookAuthScheme, secrets: readonly string[]): void {
  if (secrets.length === 0) {
    throw new RangeError(`${scheme} authentication needs at least one secret`);
  }
  secrets.forEach((secret, index) => {
    if (secret.length === 0) {
      throw new InvalidWebhookSecretError(scheme, index, 'is empty');
    }
  });
}
