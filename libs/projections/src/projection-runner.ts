import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import {
  StoreClosedError,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '#event-store';
import { eventBatches } from './event-batches.js';
import { tablePrefix, type ProjectionBuild } from './projection-builds.js';
import { ProjectionDirectory } from './projection-directory.js';
import type { Projection, ProjectionWriter, TableNamer } from './projection.js';

export * from './projection-directory.js';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** The read-model database (`DATA_DIR/read-models.sqlite`). */
  readonly db: Database;
  readonly projections: readonly Projection[];
  readonly maxBatch?: number;
  /** Turns stored events into their current shape before projections see them. */
  readonly upcast?: (event: RecordedEvent) => RecordedEvent;
  readonly onFailure?: (name: string, build: ProjectionBuild, error: unknown) => void;
  /** How often the runner re-reads the builds (swaps by another process, lease expiry). */
  readonly syncIntervalMs?: number;
  readonly leaseTtlMs?: number;
  /**
   * Whether this process keeps live builds up to date (default true). The CLI sets it
   * to false: it only builds, and leaves following the log to the API.
   */
  readonly followLive?: boolean;
  /**
   * Pause after a batch that caught up with the log (default 5 ms): live appends then
   * arrive in batches of several events, so a busy ingest costs a handful of read-model
   * commits per second instead of one per append. It bounds read-your-writes delays.
   */
  readonly liveBatchPauseMs?: number;
  /** Called after every committed batch (a worker thread tells its host). */
  readonly onProgress?: () => void;
}

/** A build this process is applying events to. */
interface Track {
  readonly projection: Projection;
  build: ProjectionBuild;
  readonly table: TableNamer;
  readonly writer: ProjectionWriter;
  readonly handled: ReadonlySet<string>;
  checkpoint: number;
  failed: boolean;
  subscription: Subscription | undefined;
  loop: Promise<void> | undefined;
}

const trackKey = (build: Pick<ProjectionBuild, 'name' | 'build'>) =>
  `${build.name}#${String(build.build)}`;

/**
 * Runs projections. Each build of a projection follows the global log from its
 * checkpoint through the store's subscription and applies events in batches, each in
 * one read-model transaction that also stores its checkpoint — every event takes
 * effect exactly once, across crashes too. A new version (or an on-demand rebuild) is
 * built beside the live build and replaces it atomically once it has caught up, so
 * reads keep answering throughout. Leases in the read-model database keep two
 * processes (the API and the CLI) from applying events to the same build.
 */
export class ProjectionRunner extends ProjectionDirectory {
  private readonly tracks = new Map<string, Track>();
  private readonly failedBuilds = new Set<string>();
  private readonly owner = randomUUID();
  private syncTimer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    super(options.store, options.db, options.projections);
  }

  /** Creates missing builds, starts following the log, and returns once that is under way. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const projection of this.projections.values()) {
      const { live, building } = this.builds.current(projection.name);
      if (!live && !building) {
        this.builds.create(projection.name, projection.version, 'live', 0, null);
      } else if (
        live &&
        live.version !== projection.version &&
        building?.version !== projection.version
      ) {
        // The code is a new version: build it beside the live one from position 0.
        const total = await this.options.store.headPosition();
        this.builds.create(projection.name, projection.version, 'building', total, randomUUID());
      }
    }
    this.sync();
    this.syncTimer = setInterval(() => {
      this.sync();
    }, this.options.syncIntervalMs ?? 1000);
    this.syncTimer.unref();
  }

  /** Stops every build after its current batch (its checkpoint is stored) and releases leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.syncTimer);
    await Promise.all([...this.tracks.values()].map((track) => this.stopTrack(track)));
    this.abandonWaiters();
  }

  protected override buildsChanged(): void {
    this.sync();
  }

  /** Looks at the builds again now (another thread or process changed them). */
  refresh(): void {
    this.sync();
  }

  /**
   * Brings this process's tracks in line with the builds: follows the live build and
   * the one being built when it can take their leases, renews the leases it holds,
   * lets go of builds another process swapped out, and drops retired tables.
   */
  private sync(): void {
    if (this.stopped) return;
    for (const projection of this.projections.values()) {
      const { live, building } = this.builds.current(projection.name);
      const followLive = this.options.followLive ?? true;
      const wanted = [followLive ? live : undefined, building].filter(
        (build): build is ProjectionBuild =>
          build !== undefined && this.canWrite(projection, build),
      );
      for (const track of this.tracks.values()) {
        if (track.projection !== projection) continue;
        const stillWanted = wanted.some((build) => build.build === track.build.build);
        const renewed =
          stillWanted &&
          this.builds.lease(projection.name, track.build.build, this.owner, this.leaseTtl());
        if (!renewed) void this.retire(track);
      }
      this.builds.dropRetired(projection.name, this.owner, this.leaseTtl());
      for (const build of wanted) {
        const key = trackKey(build);
        if (this.tracks.has(key) || this.failedBuilds.has(key)) continue;
        if (!this.builds.lease(projection.name, build.build, this.owner, this.leaseTtl())) continue;
        this.startTrack(projection, build);
      }
    }
    this.wakeWaiters();
  }

  /** The current code writes a build of its own version; an older live build is kept fresh only when compatible. */
  private canWrite(projection: Projection, build: ProjectionBuild): boolean {
    return (
      build.version === projection.version ||
      (build.state === 'live' && (projection.compatibleVersions ?? []).includes(build.version))
    );
  }

  private leaseTtl(): number {
    return this.options.leaseTtlMs ?? 15_000;
  }

  private startTrack(projection: Projection, build: ProjectionBuild): void {
    const prefix = tablePrefix(build);
    const table: TableNamer = (name) => `${prefix}${name}`;
    this.options.db.transaction(() => {
      projection.createTables(this.options.db, table);
    })();
    const track: Track = {
      projection,
      build,
      table,
      writer: projection.open(this.options.db, table),
      handled: new Set(projection.eventTypes),
      checkpoint: build.checkpoint,
      failed: false,
      subscription: undefined,
      loop: undefined,
    };
    this.tracks.set(trackKey(build), track);
    track.loop = this.follow(track);
  }

  private async stopTrack(track: Track): Promise<void> {
    await track.subscription?.stop();
    await track.loop;
    this.tracks.delete(trackKey(track.build));
    this.builds.release(track.build.name, track.build.build, this.owner);
  }

  /** Stops a track whose build was swapped out or whose lease was lost. */
  private async retire(track: Track): Promise<void> {
    if (!this.tracks.has(trackKey(track.build))) return;
    await this.stopTrack(track);
  }

  private async follow(track: Track): Promise<void> {
    const subscription = this.options.store.subscribeToAll({ afterPosition: track.checkpoint });
    track.subscription = subscription;
    const maxBatch = this.options.maxBatch ?? 1000;
    try {
      for await (const batch of eventBatches(subscription[Symbol.asyncIterator](), maxBatch)) {
        if (this.stopped || !this.tracks.has(trackKey(track.build))) break;
        if (!this.applyBatch(track, batch.events)) break;
        if (batch.drained && track.build.state === 'building') {
          this.swapIn(track);
        }
        this.wakeWaiters();
        this.options.onProgress?.();
        const pause = this.options.liveBatchPauseMs ?? 5;
        if (batch.drained && pause > 0) {
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
        // A catch-up reads the embedded store synchronously, so its batches would follow
        // each other in microtasks and starve the event loop (no request answered, not even
        // the server's listen, until the log is read): let I/O in between full batches.
        if (!batch.drained) await yieldToEventLoop();
      }
    } catch (error) {
      // The store failed under the subscription: report and stop this build — unless
      // the process is shutting down and the store closed first, which is no failure.
      if (!this.stopped && !(error instanceof StoreClosedError)) {
        this.fail(track, track.checkpoint + 1, error);
      }
    } finally {
      await subscription.stop();
    }
  }

  /** The build caught up with the log: it becomes live, the old live build retires. */
  private swapIn(track: Track): void {
    const { live } = this.builds.current(track.build.name);
    this.builds.swap(track.build.name, track.build, live);
    track.build = { ...track.build, state: 'live' };
    const retired = live && this.tracks.get(trackKey(live));
    const dropRetired = () => {
      this.builds.dropRetired(track.build.name, this.owner, this.leaseTtl());
    };
    if (retired) void this.retire(retired).then(dropRetired);
    else dropRetired();
  }

  /** Applies a batch atomically with its checkpoint; false when the build failed. */
  private applyBatch(track: Track, events: RecordedEvent[]): boolean {
    if (events.length === 0) return true;
    try {
      this.commit(track, events);
      return true;
    } catch {
      // Find the event that fails: apply the batch again one event per transaction.
      for (const event of events) {
        try {
          this.commit(track, [event]);
        } catch (error) {
          this.fail(track, event.position, error);
          return false;
        }
      }
      return true;
    }
  }

  private commit(track: Track, events: readonly RecordedEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    const upcast = this.options.upcast;
    const relevant: RecordedEvent[] = [];
    for (const event of events) {
      if (track.handled.has(event.type)) relevant.push(upcast ? upcast(event) : event);
    }
    this.options.db.transaction(() => {
      if (relevant.length > 0) track.writer.apply(relevant);
      this.builds.progress(track.build.name, track.build.build, last.position, events.length);
    })();
    track.checkpoint = last.position;
  }

  private fail(track: Track, position: number, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    track.failed = true;
    this.failedBuilds.add(trackKey(track.build));
    this.builds.fail(track.build.name, track.build.build, position, message);
    this.options.onFailure?.(track.build.name, track.build, error);
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(resolve);
  });
}
