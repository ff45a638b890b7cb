import { hash } from 'node:crypto';

/** Namespace of every ticket-ledger UUID v5 (itself a random v4, fixed forever). */
export const LEDGER_NAMESPACE = '5b0f4d02-8c0e-4b8f-9a3e-6c1d2f7e9a41';

const namespaceBytes = Buffer.from(LEDGER_NAMESPACE.replaceAll('-', ''), 'hex');

/** RFC 9562 UUID version 5: SHA-1 of namespace and name, with version and variant bits. */
export function uuidV5(name: string, namespace: Buffer = namespaceBytes): string {
  // One-shot hashing: a Hash object per id costs more than the hashing itself.
  const digest = hash('sha1', Buffer.concat([namespace, Buffer.from(name, 'utf8')]), 'buffer');
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of the `index`-th event of an append caused by a delivery: the same
 * delivery always yields the same ids, so a retried append is idempotent in either
 * store. `path` separates appends of one delivery that go to different places
 * (accepted, parked, reprocessed).
 */
export function deliveryEventId(deliveryKey: string, path: string, index: number): string {
  return uuidV5(`${deliveryKey}\u0000${path}\u0000${String(index)}`);
}
