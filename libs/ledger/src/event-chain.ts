import { hash } from 'node:crypto';
import type { JsonObject, RecordedEvent } from '#event-store';
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
  return hash('sha256', `${previousHash}\n${canonicalContent(content)}`, 'hex');
}

/**
 * `canonicalJson` of `{ id, streamId, revision, type, data, metadata }`, written out with
 * its members in their canonical order (data, id, metadata, revision, streamId, type):
 * no wrapper object to build and sort for every event appended.
 */
export function canonicalContent(content: ChainedContent): string {
  return (
    `{"data":${canonicalJson(content.data)},"id":${canonicalJson(content.id)}` +
    `,"metadata":${canonicalJson(content.metadata)},"revision":${canonicalJson(content.revision)}` +
    `,"streamId":${canonicalJson(content.streamId)},"type":${canonicalJson(content.type)}}`
  );
}

/** The hash a stored event's content chains to from `previousHash` (its own `hash` left out). */
export function recordedEventHash(previousHash: string, event: RecordedEvent): string {
  return chainHash(previousHash, {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: metadataWithoutHash(event.metadata),
  });
}

/** The metadata of a stored event without its `hash`, as the chain covers it. */
export function metadataWithoutHash(metadata: JsonObject): JsonObject {
  const { hash: _hash, ...rest } = metadata;
  return rest;
}
