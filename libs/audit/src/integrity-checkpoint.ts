import type { EventStore, JsonObject, JsonValue, RecordedEvent } from '#event-store';
import { AUDIT_CHECKPOINTS_STREAM } from '#ledger';

/** The event type of `audit-checkpoints`. */
export const INTEGRITY_CHECKPOINT = 'IntegrityCheckpoint';

/** Revision and hash of a stream's last event. */
export interface HeadAttestation {
  readonly revision: number;
  readonly hash: string;
}

/**
 * One integrity checkpoint (api.md, "Audit"). A checkpoint attests the heads of every
 * stream as of `position`; `heads` names those that changed since the previous
 * checkpoint, and `merkleRoot` covers all of them. A checkpoint with many changed
 * streams is written as several events (`part` 1…`parts`, the same `position`, root and
 * time) so that no event grows past what a store accepts in one append; a checkpoint
 * counts only once all its parts are stored.
 */
export interface IntegrityCheckpointData {
  /** The log position covered: the heads are those after the event at this position. */
  readonly position: number;
  /** The position the previous complete checkpoint covered (0: none). */
  readonly previousPosition: number;
  readonly merkleRoot: string;
  /** How many streams the Merkle tree covers (`audit-checkpoints` itself is not one). */
  readonly streamCount: number;
  readonly heads: Readonly<Record<string, HeadAttestation>>;
  readonly part: number;
  readonly parts: number;
  readonly createdAt: string;
}

/** The checkpoint data of a stored event, or undefined when it is not well formed. */
export function parseCheckpoint(event: RecordedEvent): IntegrityCheckpointData | undefined {
  if (event.type !== INTEGRITY_CHECKPOINT) return undefined;
  const { position, previousPosition, merkleRoot, streamCount, heads, part, parts, createdAt } =
    event.data;
  if (
    !isCount(position) ||
    !isCount(previousPosition) ||
    typeof merkleRoot !== 'string' ||
    !isCount(streamCount) ||
    !isCount(part) ||
    !isCount(parts) ||
    part < 1 ||
    part > parts ||
    typeof createdAt !== 'string' ||
    !isObject(heads)
  ) {
    return undefined;
  }
  const entries = Object.entries(heads);
  const wellFormed = entries.every(
    ([, head]) => isObject(head) && isCount(head['revision']) && typeof head['hash'] === 'string',
  );
  if (!wellFormed) return undefined;
  // fromEntries defines own members: a stream named `__proto__` stays a member.
  const attested = Object.fromEntries(
    entries.map(([streamId, head]) => {
      const { revision, hash } = head as { revision: number; hash: string };
      return [streamId, { revision, hash }];
    }),
  );
  return {
    position,
    previousPosition,
    merkleRoot,
    streamCount,
    heads: attested,
    part,
    parts,
    createdAt,
  };
}

/** The last complete checkpoint: what `verify` compares the log with. */
export interface LastCheckpoint {
  /** Id, revision and hash of its last part. */
  readonly eventId: string;
  readonly revision: number;
  readonly hash: string;
  readonly position: number;
  readonly merkleRoot: string;
  readonly streamCount: number;
  readonly createdAt: string;
}

/** Every complete checkpoint folded: the head of every stream as of the last one. */
export interface FoldedCheckpoints {
  readonly expected: ReadonlyMap<string, HeadAttestation>;
  readonly last: LastCheckpoint | undefined;
  /** Events of `audit-checkpoints` that are not a well-formed part of a checkpoint. */
  readonly malformed: readonly RecordedEvent[];
}

const PAGE = 500;

/**
 * Reads `audit-checkpoints` from the start and folds the heads of its complete
 * checkpoints, later ones overriding earlier ones: each lists only what changed, so the
 * fold is the head of every stream as of the last checkpoint. Parts of a checkpoint
 * that never completed (a crash between two parts) are left out.
 */
export async function foldCheckpoints(store: EventStore): Promise<FoldedCheckpoints> {
  const expected = new Map<string, HeadAttestation>();
  const malformed: RecordedEvent[] = [];
  let last: LastCheckpoint | undefined;
  let group: { data: IntegrityCheckpointData; heads: [string, HeadAttestation][] } | undefined;
  for (let from = 0; ; from += PAGE) {
    const page = await store.readStream(AUDIT_CHECKPOINTS_STREAM, {
      fromRevision: from,
      limit: PAGE,
    });
    for (const event of page) {
      const data = parseCheckpoint(event);
      if (!data) {
        malformed.push(event);
        group = undefined;
        continue;
      }
      const continues =
        group !== undefined &&
        data.part === group.data.part + 1 &&
        data.parts === group.data.parts &&
        data.position === group.data.position &&
        data.merkleRoot === group.data.merkleRoot;
      if (data.part === 1) group = { data, heads: Object.entries(data.heads) };
      else if (continues && group)
        group = { data, heads: [...group.heads, ...Object.entries(data.heads)] };
      else {
        malformed.push(event);
        group = undefined;
        continue;
      }
      if (data.part === data.parts) {
        for (const [streamId, head] of group.heads) expected.set(streamId, head);
        last = {
          eventId: event.id,
          revision: event.revision,
          hash: storedHash(event),
          position: data.position,
          merkleRoot: data.merkleRoot,
          streamCount: data.streamCount,
          createdAt: data.createdAt,
        };
        group = undefined;
      }
    }
    if (page.length < PAGE) break;
  }
  return { expected, last, malformed };
}

/** Where the next checkpoint goes: after the stream's last event, covering changes since the last complete one. */
export interface CheckpointTail {
  /** Revision and hash of the last event of `audit-checkpoints` (-1 and '' when empty). */
  readonly revision: number;
  readonly hash: string;
  /** The position the last complete checkpoint covered (0: none). */
  readonly coveredPosition: number;
}

/** Reads the end of `audit-checkpoints` backwards: usually one event. */
export async function readCheckpointTail(store: EventStore): Promise<CheckpointTail> {
  let tail: RecordedEvent | undefined;
  let before: number | undefined;
  for (;;) {
    const page = await store.readStream(AUDIT_CHECKPOINTS_STREAM, {
      direction: 'backwards',
      limit: 16,
      ...(before === undefined ? {} : { fromRevision: before }),
    });
    tail ??= page[0];
    for (const event of page) {
      const data = parseCheckpoint(event);
      if (data && data.part === data.parts) {
        return tailOf(tail, data.position);
      }
    }
    const oldest = page[page.length - 1];
    if (!oldest || oldest.revision === 0 || page.length < 16) return tailOf(tail, 0);
    before = oldest.revision - 1;
  }
}

function tailOf(event: RecordedEvent | undefined, coveredPosition: number): CheckpointTail {
  return event
    ? { revision: event.revision, hash: storedHash(event), coveredPosition }
    : { revision: -1, hash: '', coveredPosition };
}

/** The integrity hash an event carries ('' when it has none). */
export function storedHash(event: { readonly metadata: JsonObject }): string {
  const hash = event.metadata['hash'];
  return typeof hash === 'string' ? hash : '';
}

function isCount(value: JsonValue | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
