import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { seedLedgerLog, type SeedOptions } from './ledger-log.seeder.js';
import { readWholeLog, rebuildReadModels } from './rebuild.bench.js';

/**
 * A child process of the benchmark, for work whose memory and CPU must be its own (the
 * rebuild's peak RSS) or must not weigh on the load generator: the task comes as JSON in
 * argv, the result goes back over the IPC channel.
 */
export type WorkerTask =
  | { readonly task: 'seed'; readonly dataDir: string; readonly options: SeedOptions }
  | { readonly task: 'read-log'; readonly dataDir: string }
  | { readonly task: 'rebuild'; readonly dataDir: string; readonly timeoutMs: number };

export type WorkerReply =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

async function run(task: WorkerTask): Promise<unknown> {
  switch (task.task) {
    case 'seed': {
      const store = SqliteEventStore.open({ file: join(task.dataDir, 'events.sqlite') });
      try {
        return await seedLedgerLog(store, task.options);
      } finally {
        await store.close();
      }
    }
    case 'read-log':
      return readWholeLog(task.dataDir);
    case 'rebuild':
      return rebuildReadModels(task.dataDir, task.timeoutMs);
  }
}

function reply(message: WorkerReply, code: number): void {
  if (!process.send) {
    process.stdout.write(`${JSON.stringify(message)}\n`);
    process.exit(code);
  }
  process.send(message, () => {
    process.exit(code);
  });
}

// The benchmark died: nobody wants the result, and nothing must be left running.
process.on('disconnect', () => {
  process.exit(1);
});

const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask;
run(task).then(
  (result) => {
    reply({ ok: true, result }, 0);
  },
  (error: unknown) => {
    reply(
      { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      1,
    );
  },
);
