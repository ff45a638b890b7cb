import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { measureAppends, type AppendThroughput } from './store-append.bench.js';

const APPENDS = Number(process.env['BENCH_APPENDS'] ?? 20_000);
const WRITERS = Number(process.env['BENCH_WRITERS'] ?? 50);

function table(rows: readonly AppendThroughput[]): string {
  const baseline = rows[0]?.appendsPerSecond ?? 1;
  const lines = [
    '| SQLite append (synchronous=FULL) | appends | appends/s | events/s | appends per commit | vs one tx per append |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (row) =>
        `| ${row.mode} | ${row.appends} | ${row.appendsPerSecond.toFixed(0)} | ${row.eventsPerSecond.toFixed(0)} | ${row.meanAppendsPerCommit.toFixed(1)} | ${(row.appendsPerSecond / baseline).toFixed(2)}× |`,
    ),
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const machine = `${String(cpus().length)} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  process.stdout.write(`ticket-ledger benchmark — ${machine}\n`);
  process.stdout.write(`${String(WRITERS)} concurrent writers, 2 events (~1 KB) per append\n\n`);
  const rows = [
    await measureAppends(false, APPENDS, WRITERS),
    await measureAppends(true, APPENDS, WRITERS),
  ];
  const markdown = `# ticket-ledger benchmark\n\n${machine}, ${new Date().toISOString()}\n\n${table(rows)}\n`;
  process.stdout.write(`${table(rows)}\n`);
  const directory = new URL('../../../../bench/results/', import.meta.url);
  mkdirSync(directory, { recursive: true });
  writeFileSync(new URL('latest.md', directory), markdown);
  writeFileSync(
    new URL('latest.json', directory),
    `${JSON.stringify({ machine, at: new Date().toISOString(), storeAppend: rows }, null, 2)}\n`,
  );
}

await main();
