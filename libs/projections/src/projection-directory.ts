import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { EventStore } from '#event-store';
import { ProjectionBuilds, tablePrefix, type ProjectionBuild } from './projection-builds.js';
import type { Projection, TableNamer } from './projection.js';

export type ProjectionStatus = 'live' | 'catching_up' | 'rebuilding' | 'failed';

export interface RebuildProgress {
  readonly rebuildId: string;
  readonly version: number;
  readonly processed: number;
  readonly total: number;
  readonly percent: number;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly failure?: { readonly position: number; readonly error: string };
}

export interface ProjectionState {
  readonly name: string;
  /** The live build's version (the one reads answer from). */
  readonly version: number;
  readonly status: ProjectionStatus;
  /** Global position of the last event the live build applied (0: none yet). */
  readonly checkpoint: number;
  readonly failure?: { readonly position: number; readonly error: string };
  /** The rebuild in progress, or the last one that finished. */
  readonly rebuild?: RebuildProgress;
}

export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';

  constructor(
    readonly projection: string,
    readonly rebuildId: string | null,
  ) {
    super(`projection ${projection} is already being rebuilt`);
  }
}

interface PositionWaiter {
  readonly position: number;
  readonly names: readonly string[];
  readonly resolve: (reached: boolean) => void;
}

/**
 * What every process can see of the projections, from the read-model database alone:
 * their builds, states, the tables reads use, read-your-writes waits, and rebuild
 * requests. The runner (which applies events) extends it; a process whose runner lives
 * in a worker thread uses it as is.
 */
export class ProjectionDirectory {
  readonly builds: ProjectionBuilds;
  protected readonly projections: ReadonlyMap<string, Projection>;
  protected waiters: PositionWaiter[] = [];

  constructor(
    protected readonly store: EventStore,
    protected readonly db: Database,
    projections: readonly Projection[],
  ) {
    this.builds = new ProjectionBuilds(db);
    this.projections = new Map(projections.map((projection) => [projection.name, projection]));
  }

  /** Starts a rebuild from position 0 beside the live build; 409-worthy when one runs. */
  async rebuild(name: string): Promise<{ rebuildId: string }> {
    const projection = this.projection(name);
    const total = await this.store.headPosition();
    const rebuildId = randomUUID();
    // Checked and created in one (immediate) transaction, after the only await: two
    // requests at once, or the API and the CLI, cannot both start a build.
    this.db
      .transaction(() => {
        const { building } = this.builds.current(name);
        if (building) throw new RebuildInProgressError(name, building.rebuildId);
        this.builds.create(name, projection.version, 'building', total, rebuildId);
      })
      .immediate();
    this.buildsChanged();
    return { rebuildId };
  }

  names(): string[] {
    return [...this.projections.keys()];
  }

  has(name: string): boolean {
    return this.projections.has(name);
  }

  async states(): Promise<ProjectionState[]> {
    const head = await this.store.headPosition();
    return this.names().map((name) => this.stateAt(name, head));
  }

  /**
   * The states as the read-model database has them, without asking the store for its
   * head (it may be down): a build is `live` unless it is rebuilding or failed.
   */
  storedStates(): ProjectionState[] {
    return this.names().map((name) => this.stateAt(name, 0));
  }

  async state(name: string): Promise<ProjectionState | undefined> {
    if (!this.projections.has(name)) return undefined;
    return this.stateAt(name, await this.store.headPosition());
  }

  /** The tables reads use: the live build's. */
  tables(name: string): TableNamer {
    this.projection(name);
    const { live, building } = this.builds.current(name);
    const serving = live ?? building;
    if (!serving) throw new Error(`projection ${name} has no build`);
    const prefix = tablePrefix(serving);
    return (table) => `${prefix}${table}`;
  }

  /** The smallest live checkpoint of the named projections: how fresh a read joining them is. */
  asOfPosition(names: readonly string[]): number {
    return Math.min(...names.map((name) => this.builds.current(name).live?.checkpoint ?? 0));
  }

  /**
   * Resolves true once the live builds of the named projections have applied the log
   * up to `position` (read-your-writes), false after `timeoutMs`.
   */
  waitForPosition(names: readonly string[], position: number, timeoutMs: number): Promise<boolean> {
    if (this.asOfPosition(names) >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        resolve(false);
      }, timeoutMs);
      const entry: PositionWaiter = {
        position,
        names,
        resolve: (reached) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      this.waiters.push(entry);
    });
  }

  protected projection(name: string): Projection {
    const projection = this.projections.get(name);
    if (!projection) throw new Error(`unknown projection ${name}`);
    return projection;
  }

  private stateAt(name: string, head: number): ProjectionState {
    const { live, building } = this.builds.current(name);
    const latest = this.builds.latest(name);
    const serving = live ?? building;
    const liveFailure =
      live?.failedAt != null ? { position: live.failedAt, error: live.failure ?? '' } : undefined;
    const status: ProjectionStatus = building
      ? 'rebuilding'
      : liveFailure
        ? 'failed'
        : (live?.checkpoint ?? 0) >= head
          ? 'live'
          : 'catching_up';
    const rebuilt = building ?? (latest?.rebuildId ? latest : undefined);
    return {
      name,
      version: serving?.version ?? this.projection(name).version,
      status,
      checkpoint: live?.checkpoint ?? 0,
      ...(liveFailure ? { failure: liveFailure } : {}),
      ...(rebuilt?.rebuildId ? { rebuild: rebuildProgress(rebuilt) } : {}),
    };
  }

  /** A rebuild was requested: whoever applies events should look at the builds again. */
  protected buildsChanged(): void {
    // Nothing here: the builds are in the database for the runner to find.
  }

  /** Fails every pending read-your-writes wait (the process is stopping). */
  protected abandonWaiters(): void {
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
  }

  /** Answers the read-your-writes waits whose position the live builds have reached. */
  protected wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const still: PositionWaiter[] = [];
    for (const waiter of this.waiters) {
      if (this.asOfPosition(waiter.names) >= waiter.position) waiter.resolve(true);
      else still.push(waiter);
    }
    this.waiters = still;
  }
}

function rebuildProgress(build: ProjectionBuild): RebuildProgress {
  const percent = build.total > 0 ? Math.min(100, (build.checkpoint / build.total) * 100) : 100;
  return {
    rebuildId: build.rebuildId ?? '',
    version: build.version,
    processed: build.processed,
    total: build.total,
    percent: build.state === 'building' ? Math.floor(percent * 10) / 10 : 100,
    startedAt: build.startedAt,
    finishedAt: build.state === 'building' ? null : build.finishedAt,
    ...(build.failedAt != null
      ? { failure: { position: build.failedAt, error: build.failure ?? '' } }
      : {}),
  };
}
