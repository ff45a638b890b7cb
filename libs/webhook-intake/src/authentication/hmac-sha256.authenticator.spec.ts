import { createHmac } from 'node:crypto';

import { HmacSha256Authenticator } from './hmac-sha256.authenticator.js';
import type { WebhookRequestCredentials } from './webhook-authentication.js';

const SECRET = 'ltd-shared-secret';
const BODY =
  '{"MessageType":"EventChanged","Payload":{"EventId":7},"Timestamp":"2024-05-01T10:00:00Z"}';

function hmac(secret: string, body: string | Buffer): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest();
}

function request(
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer = BODY,
): WebhookRequestCredentials {
  return { headers, query: {}, rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

describe('HmacSha256Authenticator', () => {
  const authenticator = new HmacSha256Authenticator([SECRET], 'x-signature');
  const signature = hmac(SECRET, BODY);

  it('given the RFC 4231 test case 2 key and data, when the hex signature is sent, then it is accepted', () => {
    const known = new HmacSha256Authenticator(['Jefe'], 'x-signature');
    const result = known.authenticate(
      request(
        { 'x-signature': '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
        'what do ya want for nothing?',
      ),
    );

    expect(result).toEqual({ ok: true, signatureVerified: true });
  });

  it.each([
    ['lower-case hex', signature.toString('hex')],
    ['upper-case hex', signature.toString('hex').toUpperCase()],
    ['base64', signature.toString('base64')],
    ['base64 without padding', signature.toString('base64').replace(/=+$/, '')],
    ['base64url', signature.toString('base64url')],
    ['sha256= and hex', `sha256=${signature.toString('hex')}`],
    ['sha256= and base64', `sha256=${signature.toString('base64')}`],
    ['SHA256= and hex', `SHA256=${signature.toString('hex')}`],
    ['hex with surrounding spaces', ` ${signature.toString('hex')} `],
  ])('given the signature as %s, when authenticated, then it is accepted', (_form, value) => {
    expect(authenticator.authenticate(request({ 'x-signature': value }))).toEqual({
      ok: true,
      signatureVerified: true,
    });
  });

  it('given a signature under another secret, when authenticated, then no signature matches', () => {
    const wrong = hmac('another-secret', BODY).toString('hex');

    expect(authenticator.authenticate(request({ 'x-signature': wrong }))).toEqual({
      ok: false,
      reason: 'no signature matches',
    });
  });

  it('given a signature over other bytes, when authenticated, then no signature matches', () => {
    const result = authenticator.authenticate(
      request({ 'x-signature': signature.toString('hex') }, BODY.replace('7', '8')),
    );

    expect(result).toEqual({ ok: false, reason: 'no signature matches' });
  });

  it('given a body that is not valid UTF-8, when signed over its raw bytes, then it is accepted', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);

    expect(
      authenticator.authenticate(
        request({ 'x-signature': hmac(SECRET, body).toString('hex') }, body),
      ).ok,
    ).toBe(true);
  });

  it('given no signature header, when authenticated, then it is rejected naming the header', () => {
    expect(authenticator.authenticate(request({}))).toEqual({
      ok: false,
      reason: 'x-signature header is missing',
    });
  });

  it.each([
    ['too short hex', signature.toString('hex').slice(0, 62)],
    ['too long hex', `${signature.toString('hex')}00`],
    ['hex of another digest length', hmac(SECRET, BODY).toString('hex').slice(0, 40)],
    ['base64 of 31 bytes', signature.subarray(1).toString('base64')],
    ['a bare prefix', 'sha256='],
    ['text', 'not a signature at all'],
  ])('given %s, when authenticated, then it is rejected as malformed', (_form, value) => {
    expect(authenticator.authenticate(request({ 'x-signature': value }))).toEqual({
      ok: false,
      reason: 'x-signature header is not a hex or base64 HMAC-SHA256',
    });
  });

  it('given a custom header name, when the signature arrives in it, then it is accepted and the default header is ignored', () => {
    const custom = new HmacSha256Authenticator([SECRET], 'x-ltd-signature');

    expect(custom.authenticate(request({ 'x-ltd-signature': signature.toString('hex') })).ok).toBe(
      true,
    );
    expect(custom.authenticate(request({ 'x-signature': signature.toString('hex') }))).toEqual({
      ok: false,
      reason: 'x-ltd-signature header is missing',
    });
  });

  it('given a header name configured in mixed case, when Node delivers it lower-cased, then it is found', () => {
    const custom = new HmacSha256Authenticator([SECRET], 'X-Hub-Signature-256');

    expect(
      custom.authenticate(request({ 'x-hub-signature-256': `sha256=${signature.toString('hex')}` }))
        .ok,
    ).toBe(true);
  });

  it('given two secrets, when the delivery is signed with either, then it is accepted', () => {
    const rotating = new HmacSha256Authenticator(['old-secret', 'new-secret'], 'x-signature');

    for (const secret of ['old-secret', 'new-secret']) {
      const value = hmac(secret, BODY).toString('base64');

      expect(rotating.authenticate(request({ 'x-signature': value })).ok).toBe(true);
    }
    expect(rotating.authenticate(request({ 'x-signature': signature.toString('hex') })).ok).toBe(
      false,
    );
  });

  it('given a non-ASCII secret, when the sender keys with its UTF-8 bytes, then it is accepted', () => {
    const unicode = new HmacSha256Authenticator(['clé-secrète'], 'x-signature');
    const value = createHmac('sha256', Buffer.from('clé-secrète', 'utf8'))
      .update(BODY)
      .digest('hex');

    expect(unicode.authenticate(request({ 'x-signature': value })).ok).toBe(true);
  });

  it('given an empty secret, when constructing, then it fails', () => {
    expect(() => new HmacSha256Authenticator([SECRET, ''], 'x-signature')).toThrow(
      'hmac-sha256 secret #2 is empty',
    );
  });
});
