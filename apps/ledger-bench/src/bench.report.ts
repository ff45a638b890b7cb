import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { CorpusLoadResult, LoadResult } from './ingest.bench.js';
import type { SeedResult } from './ledger-log.seeder.js';
import type { LogReadResult, RebuildResult } from './rebuild.bench.js';
import type { AppendThroughput } from './store-append.bench.js';
import { DELIVERY_MIX } from './webhook.corpus.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly ramGiB: number;
  readonly node: string;
  /** 1, 5 and 15 minutes: the machine is shared, and other work skews every figure. */
  readonly loadAverage: readonly number[];
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown cpu',
    cores: cpus().length,
    ramGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: loadavg(),
  };
}

export interface BenchSettings {
  readonly quick: boolean;
  readonly seconds: number;
  readonly events: number;
  readonly arenaCheckIns: number;
  readonly connections: number;
  readonly queryConnections: number;
  readonly corpusPerSecond: number;
  readonly appends: number;
  readonly writers: number;
}

/** A figure that could not be measured: why. */
export interface Failed {
  readonly failed: string;
}

export type Outcome<T> = T | Failed;

export function isFailed<T extends object>(outcome: Outcome<T> | undefined): outcome is Failed {
  return outcome !== undefined && 'failed' in outcome;
}

export interface IngestFigures {
  readonly baseline: CorpusLoadResult;
  readonly ledger: CorpusLoadResult;
}

export interface RebuildFigures {
  readonly seed: SeedResult;
  readonly baseline: LogReadResult;
  readonly rebuild: RebuildResult;
}

export interface QueryFigures {
  readonly eventId: string;
  /** `checkIns` of the answer before the run: the event really has them. */
  readonly checkIns: number;
  readonly query: LoadResult;
  readonly ingest: CorpusLoadResult;
}

export interface ScaleFigures {
  readonly storedEvents: number;
  readonly empty: CorpusLoadResult;
  readonly full: CorpusLoadResult;
}

export interface BenchResults {
  readonly at: string;
  readonly machine: Machine;
  readonly loadAverageAtStart: readonly number[];
  readonly settings: BenchSettings;
  readonly durationSeconds: number;
  readonly storeAppend: Outcome<{ readonly rows: readonly AppendThroughput[] }>;
  readonly ingest?: Outcome<IngestFigures>;
  readonly rebuild?: Outcome<RebuildFigures>;
  readonly query?: Outcome<QueryFigures>;
  readonly scale?: Outcome<ScaleFigures>;
}

/** One line of the summary table; `met` is undefined for context rows without a goal. */
export interface FigureRow {
  readonly figure: string;
  readonly measured: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly goal: string;
  readonly met: boolean | undefined;
}

const MiB = 2 ** 20;
const GOALS = {
  ingestShare: 0.25,
  ingestP99Ms: 25,
  rebuildShare: 0.4,
  rebuildRssBytes: 400 * MiB,
  queryP99Ms: 10,
  scaleRatio: 0.9,
} as const;

const rate = (value: number) => `${value.toFixed(0)}/s`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(0)} MB`;
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

function failedRow(figure: string, goal: string, outcome: Failed): FigureRow {
  return {
    figure,
    measured: `not measured: ${outcome.failed}`,
    baseline: '',
    ratio: '',
    goal,
    met: false,
  };
}

function ingestRows(outcome: Outcome<IngestFigures> | undefined): FigureRow[] {
  if (outcome === undefined) return [];
  if (isFailed(outcome)) return [failedRow('ingest accepted/s', '≥ 25 % of baseline', outcome)];
  const { ledger, baseline } = outcome;
  const share = ledger.okPerSecond / baseline.okPerSecond;
  const problems = ledger.errors + ledger.non2xx;
  return [
    {
      figure: 'ingest: accepted/s (2xx)',
      measured: rate(ledger.okPerSecond),
      baseline: `${rate(baseline.okPerSecond)} (bare Fastify)`,
      ratio: percent(share),
      goal: '≥ 25 %',
      met: share >= GOALS.ingestShare,
    },
    {
      figure: 'ingest: p50',
      measured: ms(ledger.latencyMs.p50),
      baseline: ms(baseline.latencyMs.p50),
      ratio: '',
      goal: '',
      met: undefined,
    },
    {
      figure: 'ingest: p99',
      measured: ms(ledger.latencyMs.p99),
      baseline: ms(baseline.latencyMs.p99),
      ratio: '',
      goal: '≤ 25 ms',
      met: ledger.latencyMs.p99 <= GOALS.ingestP99Ms,
    },
    {
      figure: 'ingest: errors + non-2xx',
      measured: `${String(ledger.errors)} + ${String(ledger.non2xx)}`,
      baseline: `${String(baseline.errors)} + ${String(baseline.non2xx)}`,
      ratio: '',
      goal: '0',
      met: problems === 0,
    },
  ];
}

function rebuildRows(outcome: Outcome<RebuildFigures> | undefined): FigureRow[] {
  if (outcome === undefined) return [];
  if (isFailed(outcome)) return [failedRow('rebuild events/s', '≥ 40 % of baseline', outcome)];
  const { rebuild, baseline } = outcome;
  const share = rebuild.eventsPerSecond / baseline.eventsPerSecond;
  return [
    {
      figure: `rebuild: events/s (${String(rebuild.events)} events, ${String(rebuild.projections.length)} read models)`,
      measured: rate(rebuild.eventsPerSecond),
      baseline: `${rate(baseline.eventsPerSecond)} (read + JSON.parse)`,
      ratio: percent(share),
      goal: '≥ 40 %',
      met: share >= GOALS.rebuildShare,
    },
    {
      figure: 'rebuild: peak RSS',
      measured: mib(rebuild.peakRssBytes),
      baseline: mib(baseline.peakRssBytes),
      ratio: '',
      goal: '≤ 400 MB',
      met: rebuild.peakRssBytes <= GOALS.rebuildRssBytes,
    },
  ];
}

function queryRows(outcome: Outcome<QueryFigures> | undefined): FigureRow[] {
  if (outcome === undefined) return [];
  if (isFailed(outcome)) return [failedRow('query p99', '≤ 10 ms', outcome)];
  const { query, ingest, checkIns } = outcome;
  const problems = query.errors + query.non2xx;
  return [
    {
      figure: `query: GET /attendance/cope/{id} p99 (${String(checkIns)} check-ins, during ingest)`,
      measured: `${ms(query.latencyMs.p99)} (p50 ${ms(query.latencyMs.p50)}, ${rate(query.okPerSecond)}${problems > 0 ? `, ${String(problems)} failed` : ''})`,
      baseline: `ingest meanwhile ${rate(ingest.okPerSecond)}`,
      ratio: '',
      goal: '≤ 10 ms',
      met: query.latencyMs.p99 <= GOALS.queryP99Ms && problems === 0,
    },
  ];
}

function scaleRows(outcome: Outcome<ScaleFigures> | undefined): FigureRow[] {
  if (outcome === undefined) return [];
  if (isFailed(outcome)) return [failedRow('scale', '≥ 0.9', outcome)];
  const { full, empty, storedEvents } = outcome;
  const ratio = full.okPerSecond / empty.okPerSecond;
  return [
    {
      figure: `scale: ingest with ${String(storedEvents)} events stored ÷ empty store`,
      measured: rate(full.okPerSecond),
      baseline: `${rate(empty.okPerSecond)} (empty store)`,
      ratio: ratio.toFixed(2),
      goal: '≥ 0.9',
      met: ratio >= GOALS.scaleRatio,
    },
  ];
}

export function figureRows(results: BenchResults): FigureRow[] {
  return [
    ...ingestRows(results.ingest),
    ...rebuildRows(results.rebuild),
    ...queryRows(results.query),
    ...scaleRows(results.scale),
  ];
}

function markdownTable(
  header: readonly string[],
  align: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  return [
    `| ${header.join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

export function summaryTable(rows: readonly FigureRow[]): string {
  return markdownTable(
    ['figure', 'measured', 'baseline', 'ratio', 'goal', 'met'],
    ['---', '---:', '---:', '---:', '---', ':---:'],
    rows.map((row) => [
      row.figure,
      row.measured,
      row.baseline,
      row.ratio,
      row.goal,
      row.met === undefined ? '' : row.met ? 'yes' : '**no**',
    ]),
  );
}

export function appendTable(rows: readonly AppendThroughput[]): string {
  const baseline = rows[0]?.appendsPerSecond ?? 1;
  return markdownTable(
    [
      'SQLite append (synchronous=FULL)',
      'appends',
      'appends/s',
      'events/s',
      'appends per commit',
      'vs one tx per append',
    ],
    ['---', '---:', '---:', '---:', '---:', '---:'],
    rows.map((row) => [
      row.mode,
      String(row.appends),
      row.appendsPerSecond.toFixed(0),
      row.eventsPerSecond.toFixed(0),
      row.meanAppendsPerCommit.toFixed(1),
      `${(row.appendsPerSecond / baseline).toFixed(2)}×`,
    ]),
  );
}

function loadDetails(results: BenchResults): string {
  const runs: [string, CorpusLoadResult | LoadResult][] = [];
  if (results.ingest && !isFailed(results.ingest)) {
    runs.push(['ingest: bare Fastify baseline', results.ingest.baseline]);
    runs.push(['ingest: ledger-api, empty store', results.ingest.ledger]);
  }
  if (results.scale && !isFailed(results.scale)) {
    runs.push([
      `scale: ledger-api, ${String(results.scale.storedEvents)} events stored`,
      results.scale.full,
    ]);
  }
  if (results.query && !isFailed(results.query)) {
    runs.push(['query: ingest meanwhile', results.query.ingest]);
    runs.push(['query: GET /attendance/cope/{id}', results.query.query]);
  }
  if (runs.length === 0) return '';
  const rows = runs.map(([name, run]) => [
    name,
    String(run.connections),
    run.seconds.toFixed(1),
    String(run.responses),
    run.okPerSecond.toFixed(0),
    Object.entries(run.statusCounts)
      .map(([status, count]) => `${status}: ${String(count)}`)
      .join(', '),
    String(run.errors),
    run.latencyMs.p50.toFixed(2),
    run.latencyMs.p90.toFixed(2),
    run.latencyMs.p99.toFixed(2),
    run.latencyMs.max.toFixed(1),
    'corpusSize' in run
      ? `${String(run.corpusDrawn)} / ${String(run.corpusSize)}${run.corpusDrawn > run.corpusSize ? ' (wrapped)' : ''}`
      : '',
  ]);
  return markdownTable(
    [
      'run',
      'conns',
      's',
      'responses',
      '2xx/s',
      'status codes',
      'errors',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'corpus drawn / size',
    ],
    ['---', '---:', '---:', '---:', '---:', '---', '---:', '---:', '---:', '---:', '---:', '---:'],
    rows,
  );
}

function notes(results: BenchResults): string[] {
  const { settings } = results;
  const mix = Object.entries(DELIVERY_MIX)
    .map(([kind, share]) => `${kind} ${String(share)} %`)
    .join(', ');
  const lines = [
    `- Ingest: the built server (\`node dist/apps/ledger-api/src/main.js\`, NODE_ENV=development, LOG_LEVEL=warn, WEBHOOK_TOLERANCE_SECONDS=3600, fresh DATA_DIR) with webhook secrets set: COPE deliveries signed (standard-webhooks, signed once when the corpus is built), LTD and Ingresse with their Bearer token — every delivery authenticated. Reads open (API_KEYS unset).`,
    `- Corpus: new deliveries built from the seed examples with fresh ids and timestamps (${mix}) and 10 % redeliveries (exact copies of one of the previous 2000 requests); ${String(settings.connections)} connections, ${String(settings.seconds)} s per run; the baseline gets the same corpus and connections. Load generator (autocannon) and server share the machine.`,
    `- Rebuild: ${String(settings.events)} events written through SqliteEventStore.appendToStream in group commits of 500 deliveries (receipts with the raw bodies, the domain events of the real translators and deciders, chained hashes, unique keys claimed; one COPE event gets the check-ins the query reads), then every read model built from position 0 in a child process (ReadModels.open + runner.start, until every checkpoint is the head); peak RSS is that child's (kernel high-water mark, sampled every 100 ms too). Baseline: the same log read in pages of 1000 with better-sqlite3, data and metadata JSON.parse'd, in a child process.`,
    `- Query and scale: the API started on the rebuilt DATA_DIR; scale compares its ingest rate with the empty-store run above (same corpus shape and duration); the query run sends ${String(settings.queryConnections)} connections of GET /attendance/cope/{id} while ${String(settings.connections)} connections ingest.`,
    '- MB = 2^20 bytes. Latencies from autocannon response times at full precision.',
  ];
  if (results.ingest && !isFailed(results.ingest)) {
    const { ledger } = results.ingest;
    if (ledger.corpusDrawn > ledger.corpusSize) {
      lines.push(
        `- **The ledger run drew more requests than the corpus holds (${String(ledger.corpusDrawn)} > ${String(ledger.corpusSize)}): later requests were redeliveries. Raise BENCH_CORPUS_RATE.**`,
      );
    }
  }
  return lines;
}

export function markdownReport(results: BenchResults): string {
  const m = results.machine;
  const sections = [
    '# ticket-ledger benchmark',
    `${m.cpu}, ${String(m.cores)} cores, ${String(m.ramGiB)} GiB RAM, Node ${m.node}; ${results.at}; ${results.durationSeconds.toFixed(0)} s${results.settings.quick ? ' (BENCH_QUICK=1)' : ''}; load average ${results.loadAverageAtStart.map((load) => load.toFixed(2)).join(' ')} at the start, ${m.loadAverage.map((load) => load.toFixed(2)).join(' ')} at the end (the machine is shared)`,
    summaryTable(figureRows(results)),
    notes(results).join('\n'),
  ];
  const details = loadDetails(results);
  if (details) sections.push('## HTTP runs', details);
  if (results.rebuild && !isFailed(results.rebuild)) {
    const { seed, rebuild } = results.rebuild;
    sections.push(
      '## Rebuild log',
      `${String(seed.events)} events in ${String(seed.deliveries)} deliveries over ${String(seed.streams)} streams, written in ${seed.seconds.toFixed(1)} s (${seed.eventsPerSecond.toFixed(0)} events/s through the store port); one COPE event with ${String(seed.arenaTickets)} tickets and ${String(seed.arenaCheckIns)} check-ins. Rebuild ${rebuild.seconds.toFixed(1)} s: ${rebuild.projections.map((projection) => projection.name).join(', ')}.`,
    );
  }
  sections.push('## SQLite append');
  sections.push(
    isFailed(results.storeAppend)
      ? `not measured: ${results.storeAppend.failed}`
      : `${String(results.settings.writers)} concurrent writers, 2 events (~1 KB) per append\n\n${appendTable(results.storeAppend.rows)}`,
  );
  return `${sections.join('\n\n')}\n`;
}

/** bench/results/latest.md, latest.json and a dated copy of the JSON. */
export function writeResults(results: BenchResults): URL {
  const directory = new URL('../../../../bench/results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  const json = `${JSON.stringify({ ...results, figures: figureRows(results) }, null, 2)}\n`;
  writeFileSync(new URL('latest.md', directory), markdownReport(results));
  writeFileSync(new URL('latest.json', directory), json);
  const stamp = results.at.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  writeFileSync(new URL(`${stamp}.json`, directory), json);
  return directory;
}
