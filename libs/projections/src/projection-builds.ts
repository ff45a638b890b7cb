import type { Database, Statement } from 'better-sqlite3';

/**
 * A build is one set of a projection's tables, filled from position 0: the live one
 * answers reads; a new one (a new version, or an on-demand rebuild) is built beside
 * it and replaces it atomically when it has caught up with the log.
 */
export interface ProjectionBuild {
  readonly name: string;
  readonly build: number;
  readonly version: number;
  readonly state: 'building' | 'live' | 'retired';
  readonly checkpoint: number;
  /** Events read so far (applied or skipped as irrelevant). */
  readonly processed: number;
  /** The log's head position when the build started: the goal of its catch-up. */
  readonly total: number;
  readonly rebuildId: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly failedAt: number | null;
  readonly failure: string | null;
}

interface BuildRow {
  name: string;
  build: number;
  version: number;
  state: ProjectionBuild['state'];
  checkpoint: number;
  processed: number;
  total: number;
  rebuild_id: string | null;
  started_at: string;
  finished_at: string | null;
  failed_at: number | null;
  failure: string | null;
}

function fromRow(row: BuildRow): ProjectionBuild {
  return {
    name: row.name,
    build: row.build,
    version: row.version,
    state: row.state,
    checkpoint: row.checkpoint,
    processed: row.processed,
    total: row.total,
    rebuildId: row.rebuild_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    failedAt: row.failed_at,
    failure: row.failure,
  };
}

/**
 * The builds and leases of every projection, in the read-model database: shared by
 * every process on the same `DATA_DIR` (the API and the CLI), so that they agree on
 * which build is live, and a lease makes sure only one of them applies events to a
 * build at a time.
 */
export class ProjectionBuilds {
  private readonly statements: Record<string, Statement>;

  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS projection_builds (
      name        TEXT    NOT NULL,
      build       INTEGER NOT NULL,
      version     INTEGER NOT NULL,
      state       TEXT    NOT NULL,
      checkpoint  INTEGER NOT NULL DEFAULT 0,
      processed   INTEGER NOT NULL DEFAULT 0,
      total       INTEGER NOT NULL DEFAULT 0,
      rebuild_id  TEXT,
      started_at  TEXT    NOT NULL,
      finished_at TEXT,
      failed_at   INTEGER,
      failure     TEXT,
      dropped     INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (name, build)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS projection_leases (
      name       TEXT    NOT NULL,
      build      INTEGER NOT NULL,
      owner      TEXT    NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (name, build)
    ) WITHOUT ROWID;`);
    this.statements = {
      all: db.prepare(
        `SELECT * FROM projection_builds WHERE name = ? AND state != 'retired' ORDER BY build`,
      ),
      last: db.prepare(
        'SELECT * FROM projection_builds WHERE name = ? ORDER BY build DESC LIMIT 1',
      ),
      insert:
        db.prepare(`INSERT INTO projection_builds (name, build, version, state, total, rebuild_id, started_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      progress: db.prepare(`UPDATE projection_builds SET checkpoint = ?, processed = processed + ?,
        failed_at = NULL, failure = NULL WHERE name = ? AND build = ?`),
      fail: db.prepare(
        'UPDATE projection_builds SET failed_at = ?, failure = ? WHERE name = ? AND build = ?',
      ),
      setState: db.prepare(
        'UPDATE projection_builds SET state = ?, finished_at = ? WHERE name = ? AND build = ?',
      ),
      takeLease:
        db.prepare(`INSERT INTO projection_leases (name, build, owner, expires_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (name, build) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE projection_leases.owner = excluded.owner OR projection_leases.expires_at < ?`),
      dropLease: db.prepare(
        'DELETE FROM projection_leases WHERE name = ? AND build = ? AND owner = ?',
      ),
      retiredWithTables: db.prepare(
        `SELECT * FROM projection_builds WHERE name = ? AND state = 'retired' AND dropped = 0`,
      ),
      markDropped: db.prepare(
        'UPDATE projection_builds SET dropped = 1 WHERE name = ? AND build = ?',
      ),
      tables: db.prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '\\'`,
      ),
    };
  }

  /** The live and building builds of a projection (retired ones are gone). */
  current(name: string): { live?: ProjectionBuild; building?: ProjectionBuild } {
    const rows = (this.statements['all']?.all(name) ?? []) as BuildRow[];
    const builds = rows.map(fromRow);
    const live = builds.find((build) => build.state === 'live');
    const building = builds.find((build) => build.state === 'building');
    return { ...(live ? { live } : {}), ...(building ? { building } : {}) };
  }

  /** The most recent build, retired ones included (for the last rebuild's report). */
  latest(name: string): ProjectionBuild | undefined {
    const row = this.statements['last']?.get(name) as BuildRow | undefined;
    return row && fromRow(row);
  }

  create(
    name: string,
    version: number,
    state: 'building' | 'live',
    total: number,
    rebuildId: string | null,
  ): ProjectionBuild {
    const build = (this.latest(name)?.build ?? 0) + 1;
    this.statements['insert']?.run(
      name,
      build,
      version,
      state,
      total,
      rebuildId,
      new Date().toISOString(),
    );
    const created = this.current(name);
    const row = state === 'live' ? created.live : created.building;
    if (!row) throw new Error(`build ${String(build)} of ${name} was not created`);
    return row;
  }

  /** Records progress; runs inside the batch's transaction so it commits with the rows. */
  progress(name: string, build: number, checkpoint: number, processed: number): void {
    this.statements['progress']?.run(checkpoint, processed, name, build);
  }

  fail(name: string, build: number, position: number, error: string): void {
    this.statements['fail']?.run(position, error, name, build);
  }

  /** Makes `building` the live build and retires the old one, in one transaction. */
  swap(name: string, building: ProjectionBuild, retiring: ProjectionBuild | undefined): void {
    const finishedAt = new Date().toISOString();
    this.db.transaction(() => {
      if (retiring) this.statements['setState']?.run('retired', finishedAt, name, retiring.build);
      this.statements['setState']?.run('live', finishedAt, name, building.build);
    })();
  }

  /**
   * Drops the tables of retired builds — each once its lease can be taken, i.e. once
   * the process that was applying events to it (maybe another one) has let go.
   */
  dropRetired(name: string, owner: string, ttlMs: number): void {
    const retired = ((this.statements['retiredWithTables']?.all(name) ?? []) as BuildRow[]).map(
      fromRow,
    );
    for (const build of retired) {
      if (!this.lease(name, build.build, owner, ttlMs)) continue;
      this.dropTables(tablePrefix(build));
      this.statements['markDropped']?.run(name, build.build);
      this.release(name, build.build, owner);
    }
  }

  /** Takes or renews a lease; false when another owner holds an unexpired one. */
  lease(name: string, build: number, owner: string, ttlMs: number): boolean {
    const now = Date.now();
    const result = this.statements['takeLease']?.run(name, build, owner, now + ttlMs, now);
    return (result?.changes ?? 0) > 0;
  }

  release(name: string, build: number, owner: string): void {
    this.statements['dropLease']?.run(name, build, owner);
  }

  private dropTables(prefix: string): void {
    const pattern = `${prefix.replaceAll('_', '\\_')}%`;
    const tables = (this.statements['tables']?.all(pattern) ?? []) as { name: string }[];
    this.db.transaction(() => {
      for (const { name } of tables) this.db.exec(`DROP TABLE IF EXISTS "${name}"`);
    })();
  }
}

/** `attendance_v2_b3_` — every table of a build starts with it. */
export function tablePrefix(build: Pick<ProjectionBuild, 'name' | 'version' | 'build'>): string {
  return `${build.name}_v${String(build.version)}_b${String(build.build)}_`;
}
