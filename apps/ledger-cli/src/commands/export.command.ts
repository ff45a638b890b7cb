import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { CliContext } from './cli-context.js';

export interface ExportOptions {
  /** A file to write; stdout when absent. */
  readonly output: string | undefined;
  /** Exclusive lower bound of positions (0: from the start). */
  readonly fromPosition: number;
  /** Inclusive upper bound of positions (undefined: to the head). */
  readonly toPosition: number | undefined;
}

const PAGE = 1000;

/**
 * The global log as NDJSON, one stored event per line in commit order (as stored:
 * no upcasting), paged from the store and written with backpressure.
 */
export async function exportCommand(context: CliContext, options: ExportOptions): Promise<number> {
  const output: Writable = options.output
    ? createWriteStream(options.output)
    : (context.stdout as Writable);
  let after = options.fromPosition;
  let exported = 0;
  for (;;) {
    const page = await context.store.readAll({ afterPosition: after, limit: PAGE });
    for (const event of page) {
      if (options.toPosition !== undefined && event.position > options.toPosition) break;
      if (!output.write(`${JSON.stringify(event)}\n`)) await once(output, 'drain');
      exported += 1;
    }
    const last = page[page.length - 1];
    if (
      !last ||
      page.length < PAGE ||
      (options.toPosition !== undefined && last.position >= options.toPosition)
    )
      break;
    after = last.position;
  }
  if (options.output) {
    output.end();
    await once(output, 'finish');
  }
  context.stderr.write(`exported ${String(exported)} events\n`);
  return 0;
}
