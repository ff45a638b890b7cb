import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { canonicalContent, chainHash, GENESIS_HASH, type ChainedContent } from './event-chain.js';

const content: ChainedContent = {
  id: '0b9e5a57-6f3e-5d0e-9a43-1d2f3c4b5a69',
  streamId: 'cope-ticket-€',
  revision: 3,
  type: 'TicketCheckedIn',
  data: { zeta: [1, 2.5, { b: null, a: 'x"y' }], alpha: true, é: -0 },
  metadata: { correlationId: 'c', causationId: 'a', schemaVersion: 2 },
};

describe('event chain', () => {
  it('writes the canonical content as canonicalJson writes the same members', () => {
    expect(canonicalContent(content)).toBe(canonicalJson({ ...content }));
  });

  it('hashes the previous hash, a newline and the canonical content with SHA-256', () => {
    const previous = 'a'.repeat(64);
    const expected = createHash('sha256')
      .update(`${previous}\n${canonicalJson({ ...content })}`)
      .digest('hex');

    expect(chainHash(previous, content)).toBe(expected);
    expect(chainHash(GENESIS_HASH, content)).not.toBe(expected);
  });
});
