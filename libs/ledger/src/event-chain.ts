import { createHash } from 'node:crypto';
import type { JsonObject } from '#event-store';
import { canonicalJson } from './canonical-json.js';

/** What the integrity hash of an event covers (api.md, "Audit"). */
export interface ChainedContent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: JsonObject;
  /** The metadata without its `hash`. */
  readonly metadata: JsonObject;
}

/** The hash before a stream's first event. */
export const GENESIS_HASH = '';

/**
 * `hash` = SHA-256 over the previous event's hash in the stream and the event's own
 * canonical content, so editing, removing or reordering any event changes every
 * hash after it.
 */
export function chainHash(previousHash: string, content: ChainedContent): string {
  return createHash('sha256')
    .update(previousHash)
    .update('\n')
    .update(
      canonicalJson({
        id: content.id,
        streamId: content.streamId,
        revision: content.revision,
        type: content.type,
        data: content.data,
        metadata: content.metadata,
      }),
    )
    .digest('hex');
}

/** The metadata of a stored event without its `hash`, as the chain covers it. */
export function metadataWithoutHash(metadata: JsonObject): JsonObject {
  const { hash: _hash, ...rest } = metadata;
  return rest;
}
