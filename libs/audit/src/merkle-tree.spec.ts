import { createHash } from 'node:crypto';
import {
  merkleLeaf,
  merkleNode,
  merkleRoot,
  merkleRootAsync,
  merkleRootOfHeads,
  type StreamHead,
} from './merkle-tree.js';

const sha256 = (...parts: (Buffer | string)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

function head(index: number): StreamHead {
  return {
    streamId: `ticket-cope.T${String(index).padStart(4, '0')}`,
    revision: index % 7,
    hash: sha256(String(index)).toString('hex'),
  };
}

/** RFC 6962 §2.1 Merkle Tree Hash, written recursively as the RFC states it. */
function rfc6962(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 0) return sha256('');
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(Buffer.from([1]), rfc6962(leaves.slice(0, k)), rfc6962(leaves.slice(k)));
}

describe('the Merkle tree over stream heads', () => {
  it('given no streams, then the root is the SHA-256 of nothing', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('given a head, then its leaf is SHA-256(0x00 ‖ canonical JSON [streamId, revision, hash])', () => {
    const leaf = merkleLeaf({ streamId: 'booking-ltd.B1', revision: 3, hash: 'ab' });

    expect(leaf.equals(sha256(Buffer.from([0]), '["booking-ltd.B1",3,"ab"]'))).toBe(true);
  });

  it('given one stream, then the root is its leaf', () => {
    expect(merkleRoot([merkleLeaf(head(1))])).toBe(merkleLeaf(head(1)).toString('hex'));
  });

  it('given three streams, then the unpaired third leaf is carried up, not duplicated', () => {
    const [a, b, c] = [1, 2, 3].map((index) => merkleLeaf(head(index)));

    expect(merkleRoot([a!, b!, c!])).toBe(merkleNode(merkleNode(a!, b!), c!).toString('hex'));
    expect(merkleRoot([a!, b!, c!])).not.toBe(merkleRoot([a!, b!, c!, c!]));
  });

  it('given 1 to 40 leaves, then the root equals RFC 6962’s recursive Merkle Tree Hash', () => {
    for (let count = 1; count <= 40; count += 1) {
      const leaves = Array.from({ length: count }, (_, index) => merkleLeaf(head(index)));

      expect(merkleRoot(leaves)).toBe(rfc6962(leaves).toString('hex'));
    }
  });

  it('given heads in any order, then they are sorted by stream id first', () => {
    const heads = [5, 1, 4, 2, 3].map(head);
    const sorted = [...heads].sort((a, b) => (a.streamId < b.streamId ? -1 : 1));

    expect(merkleRootOfHeads(heads)).toBe(merkleRoot(sorted.map(merkleLeaf)));
  });

  it('given one head with another revision or hash, or a stream less, then the root differs', () => {
    const heads = [1, 2, 3, 4].map(head);
    const root = merkleRootOfHeads(heads);

    expect(merkleRootOfHeads([...heads.slice(0, 3), { ...head(4), revision: 99 }])).not.toBe(root);
    expect(merkleRootOfHeads([...heads.slice(0, 3), { ...head(4), hash: 'ff' }])).not.toBe(root);
    expect(merkleRootOfHeads(heads.slice(0, 3))).not.toBe(root);
  });

  it('given many leaves, then the chunked root (yielding to the event loop) is the same root', async () => {
    const leaves = Array.from({ length: 5001 }, (_, index) => merkleLeaf(head(index)));

    await expect(merkleRootAsync(leaves)).resolves.toBe(merkleRoot(leaves));
  });
});
