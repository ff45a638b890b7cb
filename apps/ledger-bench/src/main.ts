import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  appendTable,
  figureRows,
  isFailed,
  machine,
  summaryTable,
  writeResults,
  type BenchResults,
  type BenchSettings,
  type IngestFigures,
  type Outcome,
  type QueryFigures,
  type RebuildFigures,
  type ScaleFigures,
} from './bench.report.js';
import {
  freePort,
  installChildCleanup,
  launchServer,
  onExit,
  runWorker,
  type RunningServer,
} from './child-process.supervisor.js';
import { loadFromCorpus, loadGet, type CorpusLoadResult } from './ingest.bench.js';
import type { SeedResult } from './ledger-log.seeder.js';
import type { LogReadResult, RebuildResult } from './rebuild.bench.js';
import { measureAppends, type AppendThroughput } from './store-append.bench.js';
import {
  credentialEnvironment,
  ingestCorpus,
  newCredentials,
  newRunId,
  WebhookCorpus,
  type IngestRequest,
  type WebhookCredentials,
} from './webhook.corpus.js';

/**
 * `npm run bench`: every figure of quality.md ("Performance") beside its baseline, in one
 * run on the embedded store. BENCH_QUICK=1 is a smoke run of about a minute.
 */

const QUICK = process.env['BENCH_QUICK'] === '1';

function setting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const EVENTS = setting('BENCH_EVENTS', QUICK ? 100_000 : 1_000_000);
const SETTINGS: BenchSettings = {
  quick: QUICK,
  seconds: setting('BENCH_SECONDS', QUICK ? 5 : 20),
  events: EVENTS,
  arenaCheckIns: setting('BENCH_CHECK_INS', Math.round(EVENTS / 10)),
  connections: setting('BENCH_CONNECTIONS', 50),
  queryConnections: setting('BENCH_QUERY_CONNECTIONS', 10),
  // Unique deliveries prepared per second of run: above what the ledger can take, so
  // that its run never wraps around to repeats (the baseline wraps; it does not care).
  corpusPerSecond: setting('BENCH_CORPUS_RATE', 8000),
  appends: setting('BENCH_APPENDS', QUICK ? 5000 : 20_000),
  writers: setting('BENCH_WRITERS', 50),
};
const REBUILD_TIMEOUT_MS = setting('BENCH_REBUILD_TIMEOUT_S', 900) * 1000;
const KEEP = process.env['BENCH_KEEP'] === '1';

const LEDGER_API = new URL('../../ledger-api/src/main.js', import.meta.url);
const FASTIFY_BASELINE = new URL('./fastify-baseline.server.js', import.meta.url);

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function failure(error: unknown): { failed: string } {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`  failed: ${message}\n`);
  return { failed: message.split('\n')[0] ?? message };
}

async function measured<T>(step: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return await step();
  } catch (error) {
    return failure(error);
  }
}

function summary(result: CorpusLoadResult): string {
  const codes = Object.entries(result.statusCounts)
    .map(([status, count]) => `${status}×${String(count)}`)
    .join(' ');
  return `${result.okPerSecond.toFixed(0)} 2xx/s, p50 ${result.latencyMs.p50.toFixed(1)} ms, p99 ${result.latencyMs.p99.toFixed(1)} ms, errors ${String(result.errors)} [${codes}]`;
}

class Bench {
  private readonly credentials: WebhookCredentials = newCredentials();

  constructor(private readonly workDir: string) {}

  corpus(): IngestRequest[] {
    const count = Math.ceil(SETTINGS.seconds * SETTINGS.corpusPerSecond);
    return ingestCorpus(new WebhookCorpus(newRunId()), this.credentials, count);
  }

  async startLedger(name: string, dataDir: string): Promise<RunningServer> {
    const port = await freePort();
    return launchServer({
      name,
      script: LEDGER_API,
      port,
      logFile: join(this.workDir, `${name}.log`),
      readyPath: '/health/live',
      env: {
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        ...credentialEnvironment(this.credentials),
        // COPE requests are signed when the corpus is built, up to a few minutes (and a
        // long BENCH_SECONDS) before they are sent: the default 300 s could expire them.
        WEBHOOK_TOLERANCE_SECONDS: '3600',
      },
    });
  }

  async ingestRun(
    server: RunningServer,
    title: string,
    corpus: readonly IngestRequest[],
  ): Promise<CorpusLoadResult> {
    say(`  ${title}: ${String(SETTINGS.seconds)} s, ${String(SETTINGS.connections)} connections…`);
    const result = await loadFromCorpus(
      { url: server.url, title, connections: SETTINGS.connections, seconds: SETTINGS.seconds },
      corpus,
    );
    say(`    ${summary(result)}`);
    return result;
  }

  async storeAppend(): Promise<{ rows: AppendThroughput[] }> {
    say(`store append: ${String(SETTINGS.appends)} appends, ${String(SETTINGS.writers)} writers`);
    const rows = [
      await measureAppends(false, SETTINGS.appends, SETTINGS.writers),
      await measureAppends(true, SETTINGS.appends, SETTINGS.writers),
    ];
    say(appendTable(rows));
    return { rows };
  }

  async ingest(): Promise<IngestFigures> {
    say('ingest: building the corpus…');
    const corpus = this.corpus();
    const port = await freePort();
    const fastify = await launchServer({
      name: 'fastify-baseline',
      script: FASTIFY_BASELINE,
      port,
      logFile: join(this.workDir, 'fastify-baseline.log'),
      readyPath: '/health/live',
      env: { HOST: '127.0.0.1', PORT: String(port) },
    });
    let baseline: CorpusLoadResult;
    try {
      baseline = await this.ingestRun(fastify, 'bare Fastify baseline', corpus);
    } finally {
      await fastify.stop();
    }
    const dataDir = join(this.workDir, 'ingest-data');
    const ledger = await this.startLedger('ledger-api-empty', dataDir);
    try {
      return { baseline, ledger: await this.ingestRun(ledger, 'ledger-api, empty store', corpus) };
    } finally {
      await ledger.stop();
      if (!KEEP) rmSync(dataDir, { recursive: true, force: true });
    }
  }

  async rebuild(dataDir: string): Promise<RebuildFigures> {
    say(`rebuild: seeding ${String(SETTINGS.events)} events through the store port…`);
    const seed = await runWorker<SeedResult>(
      {
        task: 'seed',
        dataDir,
        options: {
          events: SETTINGS.events,
          runId: newRunId(),
          arenaCheckIns: SETTINGS.arenaCheckIns,
          batch: 500,
        },
      },
      REBUILD_TIMEOUT_MS,
    );
    say(
      `  ${String(seed.events)} events in ${seed.seconds.toFixed(1)} s (${seed.eventsPerSecond.toFixed(0)}/s)`,
    );
    say('  baseline: reading the log and parsing every event…');
    const baseline = await runWorker<LogReadResult>(
      { task: 'read-log', dataDir },
      REBUILD_TIMEOUT_MS,
    );
    say(`    ${baseline.eventsPerSecond.toFixed(0)} events/s`);
    say('  rebuilding every read model from position 0…');
    const rebuild = await runWorker<RebuildResult>(
      { task: 'rebuild', dataDir, timeoutMs: REBUILD_TIMEOUT_MS },
      REBUILD_TIMEOUT_MS + 60_000,
    );
    say(
      `    ${rebuild.eventsPerSecond.toFixed(0)} events/s in ${rebuild.seconds.toFixed(1)} s, peak RSS ${(rebuild.peakRssBytes / 2 ** 20).toFixed(0)} MB`,
    );
    return { seed, baseline, rebuild };
  }

  /** The API on the rebuilt store: ingest there (scale), then reads during ingest (query). */
  async onFullStore(
    dataDir: string,
    figures: RebuildFigures,
    empty: CorpusLoadResult | undefined,
  ): Promise<{ scale: Outcome<ScaleFigures>; query: Outcome<QueryFigures> }> {
    say(`scale and query: the API on the ${String(figures.seed.events)}-event store`);
    const server = await this.startLedger('ledger-api-full', dataDir);
    try {
      await this.waitForProjections(server, 120_000);
      const scale: Outcome<ScaleFigures> = empty
        ? await measured(async () => ({
            storedEvents: figures.seed.events,
            empty,
            full: await this.ingestRun(
              server,
              `ledger-api, ${String(figures.seed.events)} events stored`,
              this.corpus(),
            ),
          }))
        : { failed: 'no empty-store ingest run to compare with' };
      const query = await measured(() => this.query(server, figures.seed.arenaEventId));
      return { scale, query };
    } finally {
      await server.stop();
    }
  }

  private async query(server: RunningServer, eventId: string): Promise<QueryFigures> {
    // Let the projections absorb the previous run first: the query run starts level.
    await this.waitForProjections(server, 60_000);
    const path = `/attendance/cope/${encodeURIComponent(eventId)}`;
    const answer = await fetch(`${server.url}${path}`);
    const body: unknown = await answer.json();
    const checkIns =
      typeof body === 'object' &&
      body !== null &&
      'checkIns' in body &&
      typeof body.checkIns === 'number'
        ? body.checkIns
        : Number.NaN;
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${String(answer.status)}`);
    const corpus = this.corpus();
    say(
      `  query: GET ${path} (${String(checkIns)} check-ins), ${String(SETTINGS.queryConnections)} connections, during ingest…`,
    );
    const options = { url: server.url, seconds: SETTINGS.seconds };
    const [query, ingest] = await Promise.all([
      loadGet(
        { ...options, title: 'attendance query', connections: SETTINGS.queryConnections },
        path,
      ),
      loadFromCorpus(
        { ...options, title: 'ingest meanwhile', connections: SETTINGS.connections },
        corpus,
      ),
    ]);
    say(
      `    query p50 ${query.latencyMs.p50.toFixed(1)} ms, p99 ${query.latencyMs.p99.toFixed(1)} ms, ${query.okPerSecond.toFixed(0)}/s; ingest meanwhile ${summary(ingest)}`,
    );
    return { eventId, checkIns, query, ingest };
  }

  /** Until every projection's lag is 0 (GET /projections), or `timeoutMs`. */
  private async waitForProjections(server: RunningServer, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await fetch(`${server.url}/projections`);
      const states: unknown = await response.json();
      const lagging = Array.isArray(states)
        ? states.filter(
            (state: unknown) =>
              typeof state !== 'object' || state === null || !('lag' in state) || state.lag !== 0,
          ).length
        : -1;
      if (lagging === 0) return;
      if (Date.now() > deadline) {
        say(`  (projections still lagging after ${String(timeoutMs / 1000)} s: going on)`);
        return;
      }
      await sleep(250);
    }
  }
}

async function main(): Promise<void> {
  installChildCleanup();
  const started = Date.now();
  const at = new Date().toISOString();
  const m = machine();
  say(
    `ticket-ledger benchmark — ${m.cpu}, ${String(m.cores)} cores, ${String(m.ramGiB)} GiB, Node ${m.node}${QUICK ? ' (quick)' : ''}`,
  );
  const workDir = mkdtempSync(join(tmpdir(), 'ticket-ledger-bench-'));
  // Also when interrupted: a 1M-event store is about 2 GB.
  onExit(() => {
    if (!KEEP) rmSync(workDir, { recursive: true, force: true });
  });
  const bench = new Bench(workDir);
  const storeAppend = await measured(() => bench.storeAppend());
  const ingest = await measured(() => bench.ingest());
  const fullDir = join(workDir, 'full-data');
  mkdirSync(fullDir, { recursive: true });
  const rebuild = await measured(() => bench.rebuild(fullDir));
  let scale: Outcome<ScaleFigures>;
  let query: Outcome<QueryFigures>;
  if (isFailed(rebuild)) {
    scale = query = { failed: 'the rebuild did not complete' };
  } else {
    const onFull = await measured(() =>
      bench.onFullStore(fullDir, rebuild, isFailed(ingest) ? undefined : ingest.ledger),
    );
    scale = isFailed(onFull) ? onFull : onFull.scale;
    query = isFailed(onFull) ? onFull : onFull.query;
  }
  if (KEEP) say(`data kept in ${workDir}`);
  const complete: BenchResults = {
    at,
    settings: SETTINGS,
    storeAppend,
    ingest,
    rebuild,
    query,
    scale,
    machine: machine(),
    loadAverageAtStart: m.loadAverage,
    durationSeconds: (Date.now() - started) / 1000,
  };
  const directory = writeResults(complete);
  say(`\n${summaryTable(figureRows(complete))}\n`);
  say(
    `written to ${directory.pathname}latest.md and latest.json (${complete.durationSeconds.toFixed(0)} s)`,
  );
  const anyFailed = [
    complete.storeAppend,
    complete.ingest,
    complete.rebuild,
    complete.query,
    complete.scale,
  ].some((outcome) => isFailed(outcome));
  if (anyFailed) process.exitCode = 1;
}

await main();
