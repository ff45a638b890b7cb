import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

import {
  VERIFIED,
  assertSecretsUsable,
  readSingleHeader,
  rejected,
  type AuthenticationResult,
  type WebhookAuthenticator,
  type WebhookRequestCredentials,
} from './webhook-authentication.js';

const SHA256_BYTES = 32;
const SHA256_HEX_LENGTH = 64;
const PREFIX = 'sha256=';

/**
 * HMAC-SHA256 of the raw body under a secret (its UTF-8 bytes), sent hex or base64, optionally
 * prefixed `sha256=`, in one configurable header.
 */
export class HmacSha256Authenticator implements WebhookAuthenticator {
  private readonly keys: readonly KeyObject[];
  private readonly signatureHeader: string;

  constructor(secrets: readonly string[], signatureHeader: string) {
    assertSecretsUsable('hmac-sha256', secrets);
    this.keys = secrets.map((secret) => createSecretKey(Buffer.from(secret, 'utf8')));
    // Node lower-cases incoming header names; a configured 'X-Signature' must still match.
    this.signatureHeader = signatureHeader.toLowerCase();
  }

  authenticate(request: WebhookRequestCredentials): AuthenticationResult {
    const header = readSingleHeader(request.headers, this.signatureHeader);
    if (!header.found) {
      return rejected(header.reason);
    }
    const provided = decodeSignature(header.value.trim());
    if (provided === undefined) {
      return rejected(`${this.signatureHeader} header is not a hex or base64 HMAC-SHA256`);
    }
    for (const key of this.keys) {
      const expected = createHmac('sha256', key).update(request.rawBody).digest();
      if (timingSafeEqual(expected, provided)) {
        return VERIFIED;
      }
    }
    return rejected('no signature matches');
  }
}

/** The 32 signature bytes, or undefined when the value is neither hex nor base64 of 32 bytes. */
function decodeSignature(value: string): Buffer | undefined {
  const encoded =
    value.slice(0, PREFIX.length).toLowerCase() === PREFIX ? value.slice(PREFIX.length) : value;
  if (encoded.length === SHA256_HEX_LENGTH) {
    // Node's hex decoder stops at the first non-hex character, so a full length means all hex.
    const hex = Buffer.from(encoded, 'hex');
    if (hex.length === SHA256_BYTES) {
      return hex;
    }
  }
  // Accepts the URL-safe alphabet and missing padding too; the length check is what matters.
  const base64 = Buffer.from(encoded, 'base64');
  return base64.length === SHA256_BYTES ? base64 : undefined;
}
