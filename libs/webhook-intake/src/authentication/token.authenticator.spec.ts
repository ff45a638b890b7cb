import { TokenAuthenticator } from './token.authenticator.js';
import type { WebhookRequestCredentials } from './webhook-authentication.js';

const SECRET = 'ingresse-token-3f9a';

function request(
  headers: Record<string, string | string[] | undefined>,
  query: Record<string, unknown> = {},
): WebhookRequestCredentials {
  return { headers, query, rawBody: Buffer.from('{}') };
}

describe('TokenAuthenticator', () => {
  const authenticator = new TokenAuthenticator([SECRET]);

  it.each([`Bearer ${SECRET}`, `bearer ${SECRET}`, `BEARER ${SECRET}`, `  Bearer   ${SECRET}  `])(
    'given the authorization header %p, when authenticated, then it is accepted as verified',
    (authorization) => {
      expect(authenticator.authenticate(request({ authorization }))).toEqual({
        ok: true,
        signatureVerified: true,
      });
    },
  );

  it('given the token as a query parameter, when authenticated, then it is accepted', () => {
    expect(authenticator.authenticate(request({}, { token: SECRET }))).toEqual({
      ok: true,
      signatureVerified: true,
    });
  });

  it.each([
    ['another token', 'ingresse-token-0000'],
    ['a prefix of the secret', SECRET.slice(0, -1)],
    ['the secret with more after it', `${SECRET}x`],
    ['the secret in another case', SECRET.toUpperCase()],
  ])('given %s as bearer, when authenticated, then it does not match', (_case, token) => {
    expect(authenticator.authenticate(request({ authorization: `Bearer ${token}` }))).toEqual({
      ok: false,
      reason: 'token does not match',
    });
  });

  it('given a wrong query token, when authenticated, then it does not match', () => {
    expect(authenticator.authenticate(request({}, { token: 'nope' }))).toEqual({
      ok: false,
      reason: 'token does not match',
    });
  });

  it('given neither header nor query parameter, when authenticated, then it is rejected as missing', () => {
    expect(authenticator.authenticate(request({}))).toEqual({
      ok: false,
      reason: 'authorization header and token query parameter are missing',
    });
  });

  it.each([
    ['Bearer'],
    ['Bearer   '],
    [`Basic ${Buffer.from(`u:${SECRET}`).toString('base64')}`],
    [SECRET],
  ])(
    'given the authorization header %p and no query token, when authenticated, then it is not a Bearer token',
    (authorization) => {
      expect(authenticator.authenticate(request({ authorization }))).toEqual({
        ok: false,
        reason: 'authorization header is not a Bearer token',
      });
    },
  );

  it('given a Basic authorization header and a valid query token, when authenticated, then the query token is used', () => {
    expect(
      authenticator.authenticate(request({ authorization: 'Basic dTpw' }, { token: SECRET })).ok,
    ).toBe(true);
  });

  it('given a wrong bearer token and a valid query token, when authenticated, then the header wins and it is rejected', () => {
    expect(
      authenticator.authenticate(request({ authorization: 'Bearer nope' }, { token: SECRET })),
    ).toEqual({ ok: false, reason: 'token does not match' });
  });

  it('given a repeated token query parameter, when authenticated, then it is rejected', () => {
    expect(authenticator.authenticate(request({}, { token: [SECRET, SECRET] }))).toEqual({
      ok: false,
      reason: 'token query parameter is repeated',
    });
  });

  it('given a token query parameter that is not a string, when authenticated, then it is rejected', () => {
    expect(authenticator.authenticate(request({}, { token: { a: SECRET } }))).toEqual({
      ok: false,
      reason: 'token query parameter is not a string',
    });
  });

  it('given an empty token query parameter, when authenticated, then it is rejected as missing', () => {
    expect(authenticator.authenticate(request({}, { token: '' })).ok).toBe(false);
  });

  it('given two secrets, when either is presented, then it is accepted', () => {
    const rotating = new TokenAuthenticator(['old-token', 'new-token']);

    expect(rotating.authenticate(request({ authorization: 'Bearer old-token' })).ok).toBe(true);
    expect(rotating.authenticate(request({}, { token: 'new-token' })).ok).toBe(true);
    expect(rotating.authenticate(request({ authorization: 'Bearer other-token' })).ok).toBe(false);
  });

  it('given a non-ASCII secret, when sent as a header (latin1-decoded by Node) or a query parameter, then it is accepted', () => {
    const unicode = new TokenAuthenticator(['jeton-é€']);
    const asNodeDecodesHeaders = Buffer.from('Bearer jeton-é€', 'utf8').toString('latin1');

    expect(unicode.authenticate(request({ authorization: asNodeDecodesHeaders })).ok).toBe(true);
    expect(unicode.authenticate(request({}, { token: 'jeton-é€' })).ok).toBe(true);
  });

  it('given an empty secret, when constructing, then it fails', () => {
    expect(() => new TokenAuthenticator([''])).toThrow('token secret #1 is empty');
  });
});
