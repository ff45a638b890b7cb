import { createHash, hash } from 'node:crypto';
import { canonicalJson } from '#ledger';
import { TurnBudget } from './turn-budget.js';

/** The last event of a stream: what a checkpoint attests for it. */
export interface StreamHead {
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
}

/*
 * The Merkle tree over stream heads (api.md, "Audit"): RFC 6962 §2.1's Merkle Tree Hash.
 *
 * - Leaves are the heads of every stream, sorted by stream id in UTF-16 code unit order
 *   (`Array.prototype.sort`, the order canonical JSON sorts member names in).
 * - leaf = SHA-256(0x00 ‖ UTF-8(canonicalJson([streamId, revision, hash])))
 * - node = SHA-256(0x01 ‖ left ‖ right), over the raw 32-byte digests.
 * - Built level by level: pairs hashed left to right; a last node without a partner is
 *   carried up unchanged (never duplicated, so no two leaf lists share a root). This is
 *   the same tree as RFC 6962's split at the largest power of two below n.
 * - No leaves: SHA-256 of nothing. The root is written as lower-case hex.
 *
 * The prefixes keep a leaf from ever being taken for a node (second-preimage attacks).
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);
/** Node hashes between two looks at the clock (a few tens of microseconds). */
const HASHES_PER_STEP = 32;

// One-shot hashing: a checkpoint hashes every stream head and as many nodes, and a
// Hash object per digest costs more than the hashing itself.
export function merkleLeaf(head: StreamHead): Buffer {
  const content = Buffer.from(canonicalJson([head.streamId, head.revision, head.hash]), 'utf8');
  return hash('sha256', Buffer.concat([LEAF_PREFIX, content]), 'buffer');
}

export function merkleNode(left: Buffer, right: Buffer): Buffer {
  return hash('sha256', Buffer.concat([NODE_PREFIX, left, right]), 'buffer');
}

/** The order of leaves: stream ids by UTF-16 code units. */
export function compareStreamIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reduces the leaves to the root, stepping (yield) every few dozen hashes. */
function* reduce(leaves: readonly Buffer[]): Generator<void, Buffer> {
  if (leaves.length === 0) return createHash('sha256').digest();
  let level = leaves;
  let hashed = 0;
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let index = 0; index < level.length; index += 2) {
      const left = level[index];
      const right = level[index + 1];
      if (left === undefined) break;
      if (right === undefined) {
        next.push(left);
        break;
      }
      next.push(merkleNode(left, right));
      hashed += 1;
      if (hashed % HASHES_PER_STEP === 0) yield;
    }
    level = next;
  }
  return level[0] ?? createHash('sha256').digest();
}

/** The root (hex) of leaves already in stream-id order. */
export function merkleRoot(leaves: readonly Buffer[]): string {
  const steps = reduce(leaves);
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value.toString('hex');
}

/** As {@link merkleRoot}, giving the event loop back every few milliseconds: a large tree never stalls the API. */
export async function merkleRootAsync(leaves: readonly Buffer[]): Promise<string> {
  const budget = new TurnBudget();
  const steps = reduce(leaves);
  let step = steps.next();
  while (!step.done) {
    await budget.pause();
    step = steps.next();
  }
  return step.value.toString('hex');
}

/** The root over heads in any order (sorted here). */
export function merkleRootOfHeads(heads: Iterable<StreamHead>): string {
  const sorted = [...heads].sort((a, b) => compareStreamIds(a.streamId, b.streamId));
  return merkleRoot(sorted.map(merkleLeaf));
}
