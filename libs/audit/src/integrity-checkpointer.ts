import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { WrongExpectedVersionError, type EventStore, type JsonObject } from '#event-store';
import { AUDIT_CHECKPOINTS_STREAM, chainHash } from '#ledger';
import type { TableNamer } from '#projections';
import { AuditIndex, type StreamHeadRow } from './audit-index.queries.js';
import { auditProjection } from './audit.projection.js';
import { INTEGRITY_CHECKPOINT, readCheckpointTail } from './integrity-checkpoint.js';
import { compareStreamIds, merkleLeaf, merkleRootAsync } from './merkle-tree.js';
import { TurnBudget } from './turn-budget.js';

/** One page of the stream heads, read in one transaction with the position they reflect. */
export interface StreamHeadPage {
  /** Names the tables read: another value (a rebuild was swapped in) means start over. */
  readonly source: string;
  /** The log position the heads reflect. */
  readonly position: number;
  /** The heads asked for, in the order asked for. */
  readonly heads: readonly StreamHeadRow[];
  /** Fewer heads than asked for: none come after these. */
  readonly last: boolean;
}

/** Where the checkpointer learns the stream heads: the audit read model. */
export interface StreamHeadSource {
  /**
   * Heads in stream-id order after `streamId` ('' for the first). Undefined while there
   * is nothing to read yet (the projection has no build), here and below.
   */
  headsFrom(streamId: string, limit: number): StreamHeadPage | undefined;
  /** Heads whose last event is after `position`, in position order. */
  headsAfter(position: number, limit: number): StreamHeadPage | undefined;
  /** Resolves true once the heads reflect the log up to `position`. */
  waitForPosition(position: number, timeoutMs: number): Promise<boolean>;
}

/** What the checkpointer needs of the read models (`ReadModels` is one). */
export interface AuditReadModelAccess {
  readonly db: Database;
  readonly runner: {
    tables(name: string): TableNamer;
    asOfPosition(names: readonly string[]): number;
    waitForPosition(
      names: readonly string[],
      position: number,
      timeoutMs: number,
    ): Promise<boolean>;
  };
  queries<Q>(projection: string, create: (db: Database, table: TableNamer) => Q): Q;
}

/** The stream heads of the audit projection's live build. */
export function readModelHeadSource(readModels: AuditReadModelAccess): StreamHeadSource {
  const name = auditProjection.name;
  // One read transaction: rows and checkpoint commit together, so they agree.
  const page = (read: (index: AuditIndex) => StreamHeadRow[], limit: number) =>
    readModels.db.transaction((): StreamHeadPage | undefined => {
      let table: TableNamer;
      try {
        table = readModels.runner.tables(name);
      } catch {
        return undefined;
      }
      const heads = read(readModels.queries(name, (db, named) => new AuditIndex(db, named)));
      return {
        source: table(''),
        position: readModels.runner.asOfPosition([name]),
        heads,
        last: heads.length < limit,
      };
    })();
  return {
    headsFrom: (streamId, limit) => page((index) => index.headsFrom(streamId, limit), limit),
    headsAfter: (position, limit) => page((index) => index.headsAfter(position, limit), limit),
    waitForPosition: (position, timeoutMs) =>
      readModels.runner.waitForPosition([name], position, timeoutMs),
  };
}

/** The heads that changed after a position, as of `position`. */
interface ChangedHeads {
  readonly position: number;
  readonly changed: readonly StreamHeadRow[];
}

export interface IntegrityCheckpointerOptions {
  readonly store: EventStore;
  readonly heads: StreamHeadSource;
  readonly now?: () => Date;
  /**
   * Heads per event: a checkpoint with more changed streams is written in parts, so no
   * event grows past what a store takes in one append (EventStoreDB: 1 MiB by default).
   */
  readonly headsPerEvent?: number;
  /** Heads per read of the source (default 256); the event loop runs between reads. */
  readonly headsPerRead?: number;
  /** Called with what failed a scheduled checkpoint (the next one tries again). */
  readonly onError?: (error: unknown) => void;
}

export interface CheckpointOptions {
  /** Wait up to this long for the heads to reach the log's head first (0: do not wait). */
  readonly waitMs?: number;
}

export interface CheckpointResult {
  readonly appended: boolean;
  /** Why nothing was appended: nothing changed, another writer appended first, no heads yet. */
  readonly reason?: 'nothing_changed' | 'conflict' | 'not_ready';
  /** The log position covered. */
  readonly position: number;
  readonly changedStreams: number;
  readonly streamCount: number;
  readonly merkleRoot?: string;
  readonly parts: number;
  /** Revision of the last part in `audit-checkpoints`. */
  readonly revision?: number;
}

/**
 * Heads per read: the first checkpoint after a start reads every stream's head, and 240k
 * of them in one statement held the API's event loop for 0.6 s; 256 take a millisecond.
 */
const HEADS_PER_READ = 256;

/**
 * Appends an integrity checkpoint to `audit-checkpoints` (api.md, "Audit"): the head
 * of every stream that changed since the previous checkpoint and a Merkle root over
 * the heads of all streams (see merkle-tree.ts), as of one log position. At most once
 * per interval, and only when something changed.
 *
 * The heads come from the audit read model, which keeps the last event of every
 * stream; this class keeps the Merkle leaf of every stream in memory and refreshes
 * only those whose head moved (an indexed read of the rows past the last position
 * seen), so a checkpoint costs O(changed streams) reads and leaf hashes plus one root
 * (≈ one hash per stream, computed in chunks between which the event loop runs) —
 * never a scan of the log. Checkpoints are chained like every other event, appended
 * with the exact expected revision: another writer appending first makes this one
 * give way (`conflict`) until the next interval.
 */
export class IntegrityCheckpointer {
  private readonly leaves = new Map<string, Buffer>();
  private order: string[] = [];
  private ordered = true;
  private source: string | undefined;
  private syncedPosition = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => Date;
  private readonly headsPerEvent: number;
  private readonly headsPerRead: number;

  constructor(private readonly options: IntegrityCheckpointerOptions) {
    this.now = options.now ?? (() => new Date());
    this.headsPerEvent = Math.max(1, options.headsPerEvent ?? 2000);
    this.headsPerRead = Math.max(1, options.headsPerRead ?? HEADS_PER_READ);
  }

  /** Checkpoints every `intervalMs` (a timer that never keeps the process alive). */
  start(intervalMs = 60_000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.checkpointNow().catch((error: unknown) => this.options.onError?.(error));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule; a checkpoint under way finishes. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Checkpoints now (after any under way), optionally once the heads caught up with the log. */
  checkpointNow(options: CheckpointOptions = {}): Promise<CheckpointResult> {
    const run = this.queue.then(
      () => this.checkpoint(options),
      () => this.checkpoint(options),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async checkpoint(options: CheckpointOptions): Promise<CheckpointResult> {
    const { store, heads } = this.options;
    if (options.waitMs !== undefined && options.waitMs > 0) {
      await heads.waitForPosition(await store.headPosition(), options.waitMs);
    }
    const tail = await readCheckpointTail(store);
    const snapshot = await this.read(Math.min(this.syncedPosition, tail.coveredPosition));
    if (!snapshot) {
      return {
        appended: false,
        reason: 'not_ready',
        position: 0,
        changedStreams: 0,
        streamCount: 0,
        parts: 0,
      };
    }
    await this.absorb(snapshot.changed);
    this.syncedPosition = snapshot.position;
    const changed = snapshot.changed
      .filter((head) => head.position > tail.coveredPosition)
      .sort((a, b) => compareStreamIds(a.streamId, b.streamId));
    const unchanged: CheckpointResult = {
      appended: false,
      reason: 'nothing_changed',
      position: snapshot.position,
      changedStreams: 0,
      streamCount: this.leaves.size,
      parts: 0,
    };
    if (changed.length === 0 || snapshot.position <= tail.coveredPosition) return unchanged;

    const merkleRoot = await merkleRootAsync(this.sortedLeaves());
    const parts = Math.ceil(changed.length / this.headsPerEvent);
    const createdAt = this.now().toISOString();
    let { revision, hash } = tail;
    const budget = new TurnBudget();
    for (let part = 1; part <= parts; part += 1) {
      const heads: JsonObject = {};
      for (const head of changed.slice(
        (part - 1) * this.headsPerEvent,
        part * this.headsPerEvent,
      )) {
        heads[head.streamId] = { revision: head.revision, hash: head.hash };
        await budget.pause();
      }
      const data: JsonObject = {
        position: snapshot.position,
        previousPosition: tail.coveredPosition,
        merkleRoot,
        streamCount: this.leaves.size,
        heads,
        part,
        parts,
        createdAt,
      };
      const next = revision + 1;
      // Random, not derived: two writers' checkpoints must never pass for one retried append.
      const id = randomUUID();
      hash = chainHash(hash, {
        id,
        streamId: AUDIT_CHECKPOINTS_STREAM,
        revision: next,
        type: INTEGRITY_CHECKPOINT,
        data,
        metadata: {},
      });
      const conflict: CheckpointResult = {
        ...unchanged,
        reason: 'conflict',
        changedStreams: changed.length,
      };
      try {
        const appended = await store.appendToStream(
          AUDIT_CHECKPOINTS_STREAM,
          [{ id, type: INTEGRITY_CHECKPOINT, data, metadata: { hash } }],
          { expectedRevision: revision < 0 ? 'no_stream' : revision },
        );
        if (appended.alreadyAppended) return conflict;
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        return conflict;
      }
      revision = next;
    }
    return {
      appended: true,
      position: snapshot.position,
      changedStreams: changed.length,
      streamCount: this.leaves.size,
      merkleRoot,
      parts,
      revision,
    };
  }

  /**
   * The heads changed after `position` — all of them the first time and after a rebuild
   * was swapped in — read a page at a time, the event loop running between pages.
   *
   * Pages in position order see every head that moves while they are read: it moves past
   * every page read so far. So after a scan of all heads in stream-id order (which gives
   * the leaves already sorted), the heads changed since the scan's first page are read
   * in position order, and the union, each stream's latest row winning, is the heads as
   * of the last page's position, as one read of them all would have been.
   */
  private async read(position: number): Promise<ChangedHeads | undefined> {
    const budget = new TurnBudget();
    const changed = new Map<string, StreamHeadRow>();
    let source = this.source;
    let after = position;
    if (source === undefined) {
      let streamId = '';
      for (;;) {
        const page = this.options.heads.headsFrom(streamId, this.headsPerRead);
        if (!page) return undefined;
        if (source !== undefined && page.source !== source) return this.reread();
        if (source === undefined) after = page.position;
        source = page.source;
        for (const head of page.heads) changed.set(head.streamId, head);
        const lastHead = page.heads.at(-1);
        if (page.last || lastHead === undefined) break;
        streamId = lastHead.streamId;
        await budget.pause();
      }
    }
    for (;;) {
      const page = this.options.heads.headsAfter(after, this.headsPerRead);
      if (!page) return undefined;
      if (page.source !== source) return this.reread();
      for (const head of page.heads) changed.set(head.streamId, head);
      const lastHead = page.heads.at(-1);
      if (page.last || lastHead === undefined) {
        if (this.source !== source) this.forget(source);
        return { position: page.position, changed: [...changed.values()] };
      }
      after = lastHead.position;
      await budget.pause();
    }
  }

  /** A rebuild was swapped in: every head is read again from the new tables. */
  private reread(): Promise<ChangedHeads | undefined> {
    this.forget(undefined);
    return this.read(0);
  }

  /** Drops the leaves of the tables read so far. */
  private forget(source: string | undefined): void {
    this.leaves.clear();
    this.order = [];
    this.ordered = true;
    this.source = source;
  }

  private async absorb(heads: readonly StreamHeadRow[]): Promise<void> {
    const budget = new TurnBudget();
    for (const head of heads) {
      if (!this.leaves.has(head.streamId)) {
        const last = this.order.at(-1);
        this.ordered &&= last === undefined || compareStreamIds(last, head.streamId) < 0;
        this.order.push(head.streamId);
      }
      this.leaves.set(head.streamId, merkleLeaf(head));
      await budget.pause();
    }
  }

  private sortedLeaves(): Buffer[] {
    if (!this.ordered) {
      // New ids are appended unsorted at the end: TimSort merges that run cheaply.
      this.order.sort(compareStreamIds);
      this.ordered = true;
    }
    const leaves: Buffer[] = [];
    for (const streamId of this.order) {
      const leaf = this.leaves.get(streamId);
      if (leaf) leaves.push(leaf);
    }
    return leaves;
  }
}
