import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { StoreClosedError, type EventStore, type RecordedEvent } from '#event-store';
import { LogFeed } from './log-feed.js';
import { tablePrefix, type ProjectionBuild } from './projection-builds.js';
import { ProjectionDirectory } from './projection-directory.js';
import type { Projection, ProjectionWriter, TableNamer } from './projection.js';

export * from './projection-directory.js';

export interface ProjectionRunnerOptions {
  readonly store: EventStore;
  /** The read-model database (`DATA_DIR/read-models.sqlite`). */
  readonly db: Database;
  readonly projections: readonly Projection[];
  /** Largest batch once caught up with the log (default 1000). */
  readonly maxBatch?: number;
  /**
   * Events per batch while catching up (default `maxBatch` when that is given, else
   * 15,000): a build far behind the head commits once per page of the log.
   */
  readonly catchUpBatch?: number;
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
  /** The feed it is applied from; none once it failed or stopped. */
  feed: Feed | undefined;
}

/** Builds at the same position, fed from one read of the log. */
interface Feed {
  readonly tracks: Set<Track>;
  readonly log: LogFeed;
  loop: Promise<void> | undefined;
  /** Until its first drained batch: reading what was stored before it started. */
  catchingUp: boolean;
}

/**
 * A page of the log per catch-up batch: large, since each commit rewrites every page the
 * batch touched, yet bounded, since the batch's parsed events stay in memory until it
 * commits (about 330 MB peak RSS for the five read models at 1,000,000 events).
 */
const DEFAULT_CATCH_UP_BATCH = 15_000;

const trackKey = (build: Pick<ProjectionBuild, 'name' | 'build'>) =>
  `${build.name}#${String(build.build)}`;

/**
 * Runs projections. Each build of a projection follows the global log from its
 * checkpoint and applies events in batches, each in one read-model transaction that
 * also stores its checkpoint — every event takes effect exactly once, across crashes
 * too. Builds that start together at the same checkpoint (every read model on a first
 * start or after a restart) share one feed: each page of the log is read and parsed
 * once, and one transaction per batch holds every build's work and checkpoint, each in
 * a savepoint so that a build that fails is rolled back alone. A new version (or an
 * on-demand rebuild) is built beside the live build and replaces it atomically once it
 * has caught up, so reads keep answering throughout. Leases in the read-model database keep two
 * processes (the API and the CLI) from applying events to the same build.
 */
export class ProjectionRunner extends ProjectionDirectory {
  private readonly tracks = new Map<string, Track>();
  private readonly failedBuilds = new Set<string>();
  private readonly owner = randomUUID();
  private syncTimer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  /** The connection's own `synchronous` setting, restored once a build has caught up. */
  private readonly synchronous: number;
  private durabilityRelaxed = false;

  constructor(private readonly options: ProjectionRunnerOptions) {
    super(options.store, options.db, options.projections);
    this.synchronous = options.db.pragma('synchronous', { simple: true }) as number;
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
    this.updateDurability();
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
    const started: Track[] = [];
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
        started.push(this.startTrack(projection, build));
      }
    }
    this.startFeeds(started);
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

  private startTrack(projection: Projection, build: ProjectionBuild): Track {
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
      feed: undefined,
    };
    this.tracks.set(trackKey(build), track);
    return track;
  }

  /** One feed per checkpoint among the tracks just started. */
  private startFeeds(tracks: readonly Track[]): void {
    const byCheckpoint = new Map<number, Track[]>();
    for (const track of tracks) {
      const group = byCheckpoint.get(track.checkpoint) ?? [];
      group.push(track);
      byCheckpoint.set(track.checkpoint, group);
    }
    const maxBatch = this.options.maxBatch ?? 1000;
    const catchUpBatch =
      this.options.catchUpBatch ?? this.options.maxBatch ?? DEFAULT_CATCH_UP_BATCH;
    for (const [checkpoint, group] of byCheckpoint) {
      const feed: Feed = {
        tracks: new Set(group),
        log: new LogFeed(this.options.store, {
          afterPosition: checkpoint,
          catchUpBatch,
          liveBatch: maxBatch,
        }),
        loop: undefined,
        catchingUp: true,
      };
      for (const track of group) track.feed = feed;
      feed.loop = this.follow(feed);
    }
    this.updateDurability();
  }

  /**
   * While every build this process follows is catching up (a first start, or a start
   * after a long stop), commits do not sync WAL checkpoints to disk (`synchronous=OFF`,
   * about a fifth faster over 1,000,000 events): a crashed process still loses nothing
   * it committed, and the checkpoints still commit with their rows; only a power cut in
   * that window can leave a file to delete and rebuild from the log (the read models are
   * disposable). Once one build has caught up, the connection's own setting is back. Not
   * in a process that only builds (the CLI): the live builds of another one share the file.
   */
  private updateDurability(): void {
    const feeds = new Set<Feed>();
    for (const track of this.tracks.values()) if (track.feed) feeds.add(track.feed);
    const relax =
      (this.options.followLive ?? true) &&
      feeds.size > 0 &&
      [...feeds].every((feed) => feed.catchingUp);
    if (relax === this.durabilityRelaxed) return;
    this.durabilityRelaxed = relax;
    this.options.db.pragma(`synchronous = ${relax ? 'OFF' : String(this.synchronous)}`);
  }

  private async stopTrack(track: Track): Promise<void> {
    const feed = track.feed;
    if (feed) await this.leaveFeed(track, feed);
    this.tracks.delete(trackKey(track.build));
    this.builds.release(track.build.name, track.build.build, this.owner);
  }

  /** Takes a track off its feed; the last one out stops the feed and waits for its loop. */
  private async leaveFeed(track: Track, feed: Feed): Promise<void> {
    track.feed = undefined;
    feed.tracks.delete(track);
    if (feed.tracks.size > 0) return;
    await feed.log.stop();
    await feed.loop;
    if (!this.stopped) this.updateDurability();
  }

  /** Stops a track whose build was swapped out or whose lease was lost. */
  private async retire(track: Track): Promise<void> {
    if (!this.tracks.has(trackKey(track.build))) return;
    await this.stopTrack(track);
  }

  private async follow(feed: Feed): Promise<void> {
    try {
      for await (const batch of feed.log) {
        if (this.stopped || feed.tracks.size === 0) break;
        this.applyBatch(feed, batch.events);
        if (batch.drained) {
          feed.catchingUp = false;
          this.updateDurability();
          for (const track of feed.tracks) {
            if (track.build.state === 'building') this.swapIn(track);
          }
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
      // The store failed under the feed: report and stop its builds — unless the
      // process is shutting down and the store closed first, which is no failure.
      if (!this.stopped && !(error instanceof StoreClosedError)) {
        for (const track of [...feed.tracks]) this.fail(track, track.checkpoint + 1, error);
      }
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

  /**
   * Applies a batch to every track of the feed in one transaction, each track's work and
   * checkpoint in a savepoint of its own. A track that throws (or every track, when the
   * commit fails) is retried one event per transaction to find the event that fails.
   */
  private applyBatch(feed: Feed, events: readonly RecordedEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    const tracks = [...feed.tracks];
    const failed = new Set<Track>();
    try {
      // IMMEDIATE: the write lock is taken (waiting on the busy timeout) before the first
      // read. A deferred transaction that reads first cannot be upgraded once another
      // connection (the API's main thread, the CLI) has written meanwhile: SQLite answers
      // "database is locked" at once, without waiting.
      this.options.db
        .transaction(() => {
          for (const track of tracks) {
            try {
              // Nested: better-sqlite3 runs it in a savepoint, rolled back if it throws.
              this.write(track, events);
            } catch (error) {
              // Some errors (SQLITE_FULL, IOERR…) end the whole transaction: then nothing of
              // the batch stands, and the next track must not write outside of it.
              if (!this.options.db.inTransaction) throw error;
              failed.add(track);
            }
          }
        })
        .immediate();
    } catch {
      for (const track of tracks) failed.add(track);
    }
    for (const track of tracks) {
      if (failed.has(track)) this.applyOneByOne(track, events);
      else track.checkpoint = last.position;
    }
  }

  /** Finds the event a track fails on: the ones before it commit, the track fails there. */
  private applyOneByOne(track: Track, events: readonly RecordedEvent[]): void {
    for (const event of events) {
      try {
        this.write(track, [event]);
        track.checkpoint = event.position;
      } catch (error) {
        this.fail(track, event.position, error);
        return;
      }
    }
  }

  /** A track's part of a batch and its checkpoint, in one transaction (a savepoint when nested). */
  private write(track: Track, events: readonly RecordedEvent[]): void {
    const last = events[events.length - 1];
    if (!last) return;
    // Upcast per build, as it reads them: an upcaster that throws fails only the builds
    // that read that event, at its position.
    const upcast = this.options.upcast;
    const relevant: RecordedEvent[] = [];
    for (const event of events) {
      if (track.handled.has(event.type)) relevant.push(upcast ? upcast(event) : event);
    }
    // A savepoint inside the batch's transaction; alone, an immediate transaction.
    this.options.db
      .transaction(() => {
        if (relevant.length > 0) track.writer.apply(relevant);
        this.builds.progress(track.build.name, track.build.build, last.position, events.length);
      })
      .immediate();
  }

  private fail(track: Track, position: number, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    track.failed = true;
    const feed = track.feed;
    if (feed) void this.leaveFeed(track, feed);
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
