import { setImmediate as nextTurn } from 'node:timers/promises';
import type { EventStore, RecordedEvent } from '#event-store';
import { AUDIT_CHECKPOINTS_STREAM, GENESIS_HASH, recordedEventHash } from '#ledger';
import {
  foldCheckpoints,
  storedHash,
  type FoldedCheckpoints,
  type HeadAttestation,
  type LastCheckpoint,
} from './integrity-checkpoint.js';
import { compareStreamIds, merkleLeaf, merkleRootAsync } from './merkle-tree.js';

/**
 * - `hash_mismatch`: the event's content no longer matches its hash (it was edited).
 * - `revision_gap`: revisions are missing before this event (one was deleted), or out of order.
 * - `truncated`: the stream ends before the head the last checkpoint attested.
 * - `missing_stream`: a stream the checkpoints name has no event left.
 * - `checkpoint_mismatch`: the log disagrees with the checkpoint otherwise: a head with
 *   another hash (history rewritten with fresh hashes), events or streams the checkpoint
 *   did not cover at its position, a Merkle root that differs, a malformed checkpoint.
 */
export type IntegrityProblemKind =
  'hash_mismatch' | 'revision_gap' | 'truncated' | 'missing_stream' | 'checkpoint_mismatch';

export interface IntegrityProblem {
  readonly streamId: string;
  /** Where: the edited event, the first missing revision, the checkpoint's event… */
  readonly revision?: number;
  readonly kind: IntegrityProblemKind;
  readonly detail: string;
}

export interface IntegrityReport {
  readonly ok: boolean;
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly problems: readonly IntegrityProblem[];
  /** Every problem found; `problems` lists at most `maxProblems` of them. */
  readonly problemCount: number;
  /** The checkpoint the heads were compared with (null: none yet). */
  readonly checkpoint: Omit<LastCheckpoint, 'hash'> | null;
  /** Position of the last event read. */
  readonly checkedToPosition: number;
}

export interface VerifyOptions {
  /** Check this stream only (and its head against the checkpoints). */
  readonly streamId?: string;
  readonly pageSize?: number;
  readonly maxProblems?: number;
}

const DEFAULT_PAGE = 1000;
const DEFAULT_MAX_PROBLEMS = 1000;

/**
 * Recomputes every stream's hash chain from the stored events (never upcast) and
 * compares the heads with the last integrity checkpoint.
 *
 * The whole log is read once in position order (`readAll` pages), keeping per stream
 * the revision and stored hash of its last event: each event must follow its
 * predecessor's revision and hash to `chainHash(previous stored hash, own content)`.
 * Linking to the *stored* hash of the predecessor pins a problem to the event at
 * fault: an edited event fails alone, and the one after it still verifies. When the
 * read passes the last checkpoint's position, the heads at that moment are compared
 * with the checkpointed ones (every checkpoint folded: each lists what changed) and
 * the Merkle root is recomputed; events after that position are checked for chain
 * continuity only.
 *
 * Cost: one pass over the log — O(events) reads and one SHA-256 over each event's
 * canonical JSON (raw bodies included) — plus O(streams) memory for the running heads
 * and the checkpointed ones, and one Merkle root (≈ 2 hashes per stream). It yields to
 * the event loop between pages, so the API keeps serving meanwhile. With `streamId`,
 * only that stream is read (`readStream`) and no root is recomputed.
 */
export async function verifyIntegrity(
  store: EventStore,
  options: VerifyOptions = {},
): Promise<IntegrityReport> {
  const checkpoints = await foldCheckpoints(store);
  const problems = new ProblemList(options.maxProblems ?? DEFAULT_MAX_PROBLEMS);
  for (const event of checkpoints.malformed) {
    problems.add({
      streamId: AUDIT_CHECKPOINTS_STREAM,
      revision: event.revision,
      kind: 'checkpoint_mismatch',
      detail: 'not a well-formed part of an integrity checkpoint',
    });
  }
  const pageSize = options.pageSize ?? DEFAULT_PAGE;
  const result =
    options.streamId === undefined
      ? await verifyLog(store, checkpoints, problems, pageSize)
      : await verifyStream(store, options.streamId, checkpoints, problems, pageSize);
  const last = checkpoints.last;
  return {
    ok: problems.count === 0,
    eventsChecked: result.eventsChecked,
    streamsChecked: result.streamsChecked,
    problems: problems.listed,
    problemCount: problems.count,
    checkpoint: last
      ? {
          eventId: last.eventId,
          revision: last.revision,
          position: last.position,
          merkleRoot: last.merkleRoot,
          streamCount: last.streamCount,
          createdAt: last.createdAt,
        }
      : null,
    checkedToPosition: result.checkedToPosition,
  };
}

interface PassResult {
  readonly eventsChecked: number;
  readonly streamsChecked: number;
  readonly checkedToPosition: number;
}

async function verifyLog(
  store: EventStore,
  checkpoints: FoldedCheckpoints,
  problems: ProblemList,
  pageSize: number,
): Promise<PassResult> {
  const chains = new ChainVerifier(problems);
  const last = checkpoints.last;
  let absentAtCheckpoint: string[] | undefined;
  let eventsChecked = 0;
  let after = 0;
  for (;;) {
    const page = await store.readAll({ afterPosition: after, limit: pageSize });
    for (const event of page) {
      if (last && !absentAtCheckpoint && event.position > last.position) {
        absentAtCheckpoint = await compareWithCheckpoint(chains.heads, checkpoints, last, problems);
      }
      chains.check(event);
      eventsChecked += 1;
    }
    const lastEvent = page[page.length - 1];
    if (lastEvent) after = lastEvent.position;
    if (page.length < pageSize) break;
    // The store answers synchronously (SQLite): let requests in between pages.
    await nextTurn();
  }
  if (last && !absentAtCheckpoint) {
    absentAtCheckpoint = await compareWithCheckpoint(chains.heads, checkpoints, last, problems);
  }
  // A stream absent at the checkpoint is missing when it never shows up, truncated
  // (its beginning deleted) when events of it follow the checkpoint.
  for (const streamId of absentAtCheckpoint ?? []) {
    const attested = checkpoints.expected.get(streamId);
    if (chains.heads.has(streamId)) {
      problems.add(truncated(streamId, -1, attested));
    } else {
      problems.add(missing(streamId, attested));
    }
  }
  const missingStreams = (absentAtCheckpoint ?? []).filter((id) => !chains.heads.has(id)).length;
  return {
    eventsChecked,
    streamsChecked: chains.heads.size + missingStreams,
    checkedToPosition: after,
  };
}

async function verifyStream(
  store: EventStore,
  streamId: string,
  checkpoints: FoldedCheckpoints,
  problems: ProblemList,
  pageSize: number,
): Promise<PassResult> {
  const chains = new ChainVerifier(problems);
  const coveredPosition = checkpoints.last?.position ?? 0;
  let atCheckpoint: HeadAttestation | undefined;
  let eventsChecked = 0;
  let checkedToPosition = 0;
  for (let from = 0; ;) {
    const page = await store.readStream(streamId, { fromRevision: from, limit: pageSize });
    for (const event of page) {
      chains.check(event);
      eventsChecked += 1;
      checkedToPosition = Math.max(checkedToPosition, event.position);
      if (event.position <= coveredPosition) atCheckpoint = chains.heads.get(streamId);
    }
    const lastEvent = page[page.length - 1];
    if (!lastEvent || page.length < pageSize) break;
    from = lastEvent.revision + 1;
    await nextTurn();
  }
  const attested = checkpoints.expected.get(streamId);
  if (attested && streamId !== AUDIT_CHECKPOINTS_STREAM) {
    if (atCheckpoint) compareHead(streamId, atCheckpoint, attested, problems);
    else if (eventsChecked > 0) problems.add(truncated(streamId, -1, attested));
    else problems.add(missing(streamId, attested));
  }
  return {
    eventsChecked,
    streamsChecked: eventsChecked > 0 || attested ? 1 : 0,
    checkedToPosition,
  };
}

/**
 * Compares the heads as of the checkpoint's position with the checkpointed ones and
 * recomputes the Merkle root; answers the checkpointed streams that had no event then.
 */
async function compareWithCheckpoint(
  heads: ReadonlyMap<string, HeadAttestation>,
  checkpoints: FoldedCheckpoints,
  last: LastCheckpoint,
  problems: ProblemList,
): Promise<string[]> {
  const before = problems.count;
  const absent: string[] = [];
  for (const [streamId, attested] of checkpoints.expected) {
    if (streamId === AUDIT_CHECKPOINTS_STREAM) continue;
    const head = heads.get(streamId);
    if (head) compareHead(streamId, head, attested, problems);
    else absent.push(streamId);
  }
  const covered: [string, HeadAttestation][] = [];
  for (const [streamId, head] of heads) {
    if (streamId === AUDIT_CHECKPOINTS_STREAM) continue;
    covered.push([streamId, head]);
    if (!checkpoints.expected.has(streamId)) {
      problems.add({
        streamId,
        revision: head.revision,
        kind: 'checkpoint_mismatch',
        detail: `the stream has events at or before position ${String(last.position)}, but no checkpoint names it`,
      });
    }
  }
  // Only worth saying when no stream explains it: then the checkpoints themselves disagree.
  if (problems.count === before && absent.length === 0) {
    covered.sort(([a], [b]) => compareStreamIds(a, b));
    const root = await merkleRootAsync(
      covered.map(([streamId, head]) => merkleLeaf({ streamId, ...head })),
    );
    if (root !== last.merkleRoot || covered.length !== last.streamCount) {
      problems.add({
        streamId: AUDIT_CHECKPOINTS_STREAM,
        revision: last.revision,
        kind: 'checkpoint_mismatch',
        detail: `the Merkle root over ${String(covered.length)} stream heads is ${root}; the checkpoint says ${last.merkleRoot} over ${String(last.streamCount)}`,
      });
    }
  }
  return absent;
}

function compareHead(
  streamId: string,
  head: HeadAttestation,
  attested: HeadAttestation,
  problems: ProblemList,
): void {
  if (head.revision < attested.revision) {
    problems.add(truncated(streamId, head.revision, attested));
  } else if (head.revision > attested.revision) {
    problems.add({
      streamId,
      revision: attested.revision + 1,
      kind: 'checkpoint_mismatch',
      detail: `the checkpoint attests revision ${String(attested.revision)} as the head, but revision ${String(head.revision)} precedes its position`,
    });
  } else if (head.hash !== attested.hash) {
    problems.add({
      streamId,
      revision: head.revision,
      kind: 'checkpoint_mismatch',
      detail: 'the head hash differs from the checkpoint: the history before it was rewritten',
    });
  }
}

function truncated(
  streamId: string,
  lastRevision: number,
  attested: HeadAttestation | undefined,
): IntegrityProblem {
  return {
    streamId,
    revision: lastRevision + 1,
    kind: 'truncated',
    detail: `the checkpoint attests revision ${String(attested?.revision ?? 0)} as the head; at its position the stream ${lastRevision < 0 ? 'had no event left' : `ends at revision ${String(lastRevision)}`}`,
  };
}

function missing(streamId: string, attested: HeadAttestation | undefined): IntegrityProblem {
  return {
    streamId,
    kind: 'missing_stream',
    detail: `the checkpoint attests revision ${String(attested?.revision ?? 0)} as the head; no event of the stream is left`,
  };
}

/** The running chain of every stream: its last revision and stored hash. */
class ChainVerifier {
  readonly heads = new Map<string, HeadAttestation>();

  constructor(private readonly problems: ProblemList) {}

  check(event: RecordedEvent): void {
    const previous = this.heads.get(event.streamId);
    const expectedRevision = previous ? previous.revision + 1 : 0;
    const stored = storedHash(event);
    if (event.revision < expectedRevision) {
      // Out of order (positions rewritten): the chain carries on from the later revision.
      this.problems.add({
        streamId: event.streamId,
        revision: event.revision,
        kind: 'revision_gap',
        detail: `revision ${String(event.revision)} comes after revision ${String(expectedRevision - 1)} in the log`,
      });
      return;
    }
    if (event.revision > expectedRevision) {
      // The link to the missing predecessor cannot be checked; follow this event's own hash.
      this.problems.add({
        streamId: event.streamId,
        revision: expectedRevision,
        kind: 'revision_gap',
        detail: `revision${event.revision - expectedRevision > 1 ? `s ${String(expectedRevision)}…${String(event.revision - 1)} are` : ` ${String(expectedRevision)} is`} missing before revision ${String(event.revision)}`,
      });
    } else if (recomputedHash(previous?.hash ?? GENESIS_HASH, event) !== stored) {
      this.problems.add({
        streamId: event.streamId,
        revision: event.revision,
        kind: 'hash_mismatch',
        detail:
          stored === ''
            ? 'the event carries no integrity hash'
            : 'the stored content does not match the integrity hash',
      });
    }
    this.heads.set(event.streamId, { revision: event.revision, hash: stored });
  }
}

/** The hash the event's stored content chains to, or undefined when it cannot be computed. */
function recomputedHash(previousHash: string, event: RecordedEvent): string | undefined {
  try {
    return recordedEventHash(previousHash, event);
  } catch {
    return undefined;
  }
}

class ProblemList {
  readonly listed: IntegrityProblem[] = [];
  count = 0;

  constructor(private readonly max: number) {}

  add(problem: IntegrityProblem): void {
    this.count += 1;
    if (this.listed.length < this.max) this.listed.push(problem);
  }
}
