import { parentPort, workerData } from 'node:worker_threads';
import {
  LedgerLogGenerator,
  type GeneratorMessage,
  type SeedOptions,
} from './ledger-log.seeder.js';

/** The seeder's generator thread: one batch of appends per 'more', then 'done'. */
const options = workerData as SeedOptions;
const generator = new LedgerLogGenerator(options);
const port = parentPort;
if (!port) throw new Error('ledger-log-generator.thread runs as a worker thread');

port.on('message', () => {
  const appends = generator.next(options.batch);
  const message: GeneratorMessage =
    appends.length > 0
      ? { type: 'batch', appends }
      : { type: 'done', summary: generator.summary() };
  port.postMessage(message);
});
