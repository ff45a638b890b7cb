import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

import {
  InvalidWebhookSecretError,
  VERIFIED,
  assertSecretsUsable,
  readSingleHeader,
  rejected,
  type AuthenticationResult,
  type WebhookAuthenticator,
  type WebhookRequestCredentials,
} from './webhook-authentication.js';

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION_PREFIX = 'v1,';
const SHA256_BYTES = 32;
// Canonical decimal only: the reference signer re-serialises the parsed number, so
// `0017…` or `+17…` would be signed as a different string than the one sent.
const UNIX_SECONDS = /^(?:0|[1-9][0-9]{0,14})$/;

/**
 * Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` (unix
 * seconds) and `webhook-signature` (space-separated `v1,<base64>`; any one matching any secret
 * is enough), HMAC-SHA256 over `<id>.<timestamp>.<raw body>` keyed with the base64 after
 * `whsec_` (a secret without the prefix is taken as base64 too, as the reference library does).
 */
export class StandardWebhooksAuthenticator implements WebhookAuthenticator {
  private readonly keys: readonly KeyObject[];

  /**
   * @throws InvalidWebhookSecretError when a secret is not base64 key material.
   */
  constructor(
    secrets: readonly string[],
    private readonly toleranceSeconds: number,
  ) {
    assertSecretsUsable('standard-webhooks', secrets);
    if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
      throw new RangeError('standard-webhooks tolerance must be a non-negative number of seconds');
    }
    this.keys = secrets.map((secret, index) => createSecretKey(decodeSecret(secret, index)));
  }

  authenticate(request: WebhookRequestCredentials, nowSeconds: number): AuthenticationResult {
    const id = readSingleHeader(request.headers, 'webhook-id');
    if (!id.found) {
      return rejected(id.reason);
    }
    const timestamp = readSingleHeader(request.headers, 'webhook-timestamp');
    if (!timestamp.found) {
      return rejected(timestamp.reason);
    }
    const signatureHeader = request.headers['webhook-signature'];
    if (signatureHeader === undefined || signatureHeader.length === 0) {
      return rejected('webhook-signature header is missing');
    }

    if (!UNIX_SECONDS.test(timestamp.value)) {
      return rejected('webhook-timestamp header is not a unix time in whole seconds');
    }
    const sentAt = Number(timestamp.value);
    if (nowSeconds - sentAt > this.toleranceSeconds) {
      return rejected('webhook-timestamp is too old (outside the tolerance)');
    }
    if (sentAt - nowSeconds > this.toleranceSeconds) {
      return rejected('webhook-timestamp is too far in the future (outside the tolerance)');
    }

    const candidates = decodeSignatures(signatureHeader);
    if (candidates.length === 0) {
      return rejected('webhook-signature header holds no v1 signature');
    }

    for (const key of this.keys) {
      // Successive updates hash the same bytes as `${id}.${timestamp}.${body}` without copying
      // the body. Node decodes header bytes as latin1, so latin1 gives back the bytes sent.
      const expected = createHmac('sha256', key)
        .update(id.value, 'latin1')
        .update('.')
        .update(timestamp.value, 'latin1')
        .update('.')
        .update(request.rawBody)
        .digest();
      for (const candidate of candidates) {
        if (timingSafeEqual(expected, candidate)) {
          return VERIFIED;
        }
      }
    }
    return rejected('no signature matches');
  }
}

function decodeSecret(secret: string, index: number): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  // Node's decoder skips what it does not understand; re-encoding tells real base64 apart.
  if (key.length === 0 || stripPadding(key.toString('base64')) !== stripPadding(encoded)) {
    throw new InvalidWebhookSecretError('standard-webhooks', index, 'is not whsec_<base64>');
  }
  return key;
}

function stripPadding(base64: string): string {
  let end = base64.length;
  while (end > 0 && base64.charCodeAt(end - 1) === 0x3d /* = */) {
    end -= 1;
  }
  return base64.slice(0, end);
}

/**
 * The `v1` signatures of the header, decoded; entries of other versions (`v1a` is asymmetric)
 * or of the wrong length are skipped. Several header lines count as one list.
 */
function decodeSignatures(header: string | readonly string[]): Buffer[] {
  const decoded: Buffer[] = [];
  const lines = typeof header === 'string' ? [header] : header;
  for (const line of lines) {
    for (const entry of line.split(' ')) {
      if (!entry.startsWith(SIGNATURE_VERSION_PREFIX)) {
        continue;
      }
      const signature = Buffer.from(entry.slice(SIGNATURE_VERSION_PREFIX.length), 'base64');
      // A digest's length is public, so this check reveals nothing about a secret.
      if (signature.length === SHA256_BYTES) {
        decoded.push(signature);
      }
    }
  }
  return decoded;
}
