import { createHash, timingSafeEqual } from 'node:crypto';

import {
  VERIFIED,
  assertSecretsUsable,
  readSingleHeader,
  rejected,
  type AuthenticationResult,
  type WebhookAuthenticator,
  type WebhookRequestCredentials,
} from './webhook-authentication.js';

const BEARER = 'bearer';

/**
 * A shared token: `Authorization: Bearer <secret>` ("Bearer" in any case), or a `token` query
 * parameter for senders that can only be given a URL. The header wins when both are present.
 *
 * Tokens are compared as SHA-256 digests: equal lengths for `timingSafeEqual` whatever was sent,
 * so neither the comparison's time nor a length check reveals the secret's length.
 */
export class TokenAuthenticator implements WebhookAuthenticator {
  private readonly secretDigests: readonly Buffer[];

  constructor(secrets: readonly string[]) {
    assertSecretsUsable('token', secrets);
    this.secretDigests = secrets.map((secret) =>
      createHash('sha256').update(secret, 'utf8').digest(),
    );
  }

  authenticate(request: WebhookRequestCredentials): AuthenticationResult {
    const token = presentedToken(request);
    if (!token.found) {
      return rejected(token.reason);
    }
    const digest = createHash('sha256').update(token.value, token.encoding).digest();
    let matched = false;
    for (const secretDigest of this.secretDigests) {
      // No short-circuit: the time taken does not depend on which secret matched.
      matched = timingSafeEqual(digest, secretDigest) || matched;
    }
    return matched ? VERIFIED : rejected('token does not match');
  }
}

type PresentedToken =
  | { readonly found: true; readonly value: string; readonly encoding: 'latin1' | 'utf8' }
  | { readonly found: false; readonly reason: string };

function presentedToken(request: WebhookRequestCredentials): PresentedToken {
  const authorization = readSingleHeader(request.headers, 'authorization');
  if (authorization.found) {
    const bearer = bearerToken(authorization.value);
    if (bearer !== undefined) {
      // Node decodes header bytes as latin1: encoding back to latin1 gives the bytes sent,
      // which a UTF-8 secret's bytes must equal.
      return { found: true, value: bearer, encoding: 'latin1' };
    }
  }
  const query = request.query.token;
  if (typeof query === 'string' && query.length > 0) {
    // Query strings are percent-decoded as UTF-8 already.
    return { found: true, value: query, encoding: 'utf8' };
  }
  if (Array.isArray(query)) {
    return { found: false, reason: 'token query parameter is repeated' };
  }
  if (query !== undefined && typeof query !== 'string') {
    return { found: false, reason: 'token query parameter is not a string' };
  }
  if (authorization.found) {
    return { found: false, reason: 'authorization header is not a Bearer token' };
  }
  return { found: false, reason: 'authorization header and token query parameter are missing' };
}

/** The token of a `Bearer <token>` credential (RFC 6750), or undefined for another scheme. */
function bearerToken(authorization: string): string | undefined {
  const value = authorization.trim();
  const space = value.indexOf(' ');
  if (space < 0 || value.slice(0, space).toLowerCase() !== BEARER) {
    return undefined;
  }
  const token = value.slice(space + 1).trim();
  return token.length > 0 ? token : undefined;
}
