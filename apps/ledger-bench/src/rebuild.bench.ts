import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore } from '#event-store';
import { PROJECTIONS, ReadModels } from '#read-models';

/** Reading the log and parsing every event, the least a rebuild can do (the baseline). */
export interface LogReadResult {
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly peakRssBytes: number;
}

/** Every read model built from position 0 up to the head. */
export interface RebuildResult extends LogReadResult {
  readonly projections: readonly { readonly name: string; readonly checkpoint: number }[];
  /** The largest RSS seen by sampling every 100 ms. */
  readonly sampledPeakRssBytes: number;
}

const PAGE = 1000;
const SAMPLE_MS = 100;

/**
 * Samples this process's RSS every 100 ms; the peak is the larger of the samples and the
 * kernel's own high-water mark (which also sees peaks between two samples).
 */
class RssSampler {
  private sampled = process.memoryUsage.rss();
  private readonly timer = setInterval(() => {
    this.sampled = Math.max(this.sampled, process.memoryUsage.rss());
  }, SAMPLE_MS).unref();

  stop(): { sampled: number; peak: number } {
    clearInterval(this.timer);
    this.sampled = Math.max(this.sampled, process.memoryUsage.rss());
    const kernelPeak = process.resourceUsage().maxRSS * 1024;
    return { sampled: this.sampled, peak: Math.max(this.sampled, kernelPeak) };
  }
}

/**
 * The baseline: every row of the log in position order, pages of 1000 as the store reads
 * them, with `data` and `metadata` parsed — what any rebuild has to pay before it applies
 * a single event.
 */
export function readWholeLog(dataDir: string): LogReadResult {
  const sampler = new RssSampler();
  const db = new BetterSqlite3(join(dataDir, 'events.sqlite'), { readonly: true });
  const page = db
    .prepare(
      `SELECT position, stream_id, revision, event_id, type, data, metadata, recorded_at
       FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    )
    .raw(true);
  const started = process.hrtime.bigint();
  let events = 0;
  let after = 0;
  let checksum = 0;
  for (;;) {
    const rows = page.all(after, PAGE) as [
      number,
      string,
      number,
      string,
      string,
      string,
      string,
      string,
    ][];
    for (const row of rows) {
      const data: unknown = JSON.parse(row[5]);
      const metadata: unknown = JSON.parse(row[6]);
      // Touch the parsed values so that the parse cannot be optimised away.
      if (data !== null && metadata !== null) checksum += 1;
      after = row[0];
    }
    events += rows.length;
    if (rows.length < PAGE) break;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  if (checksum !== events) throw new Error('the log holds an event without data');
  return { events, seconds, eventsPerSecond: events / seconds, peakRssBytes: sampler.stop().peak };
}

/**
 * The rebuild: the read-model database does not exist yet, so `ReadModels.open` creates
 * every projection's build at position 0 and the runner applies the whole log to each
 * (as the API does on its first start). Done when every live checkpoint is the head.
 */
export async function rebuildReadModels(
  dataDir: string,
  timeoutMs: number,
): Promise<RebuildResult> {
  const sampler = new RssSampler();
  const store = SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  const head = await store.headPosition();
  const readModels = ReadModels.open({ dataDir, store, projections: PROJECTIONS });
  const started = process.hrtime.bigint();
  try {
    await readModels.runner.start();
    for (;;) {
      const states = await readModels.runner.states();
      const failed = states.find((state) => state.status === 'failed');
      if (failed) {
        throw new Error(
          `projection ${failed.name} failed at ${String(failed.failure?.position)}: ${failed.failure?.error ?? ''}`,
        );
      }
      if (states.every((state) => state.checkpoint >= head)) {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const rss = sampler.stop();
        return {
          events: head,
          seconds,
          eventsPerSecond: head / seconds,
          peakRssBytes: rss.peak,
          sampledPeakRssBytes: rss.sampled,
          projections: states.map(({ name, checkpoint }) => ({ name, checkpoint })),
        };
      }
      if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) {
        const progress = states.map((state) => `${state.name}@${String(state.checkpoint)}`);
        throw new Error(
          `rebuild not done after ${String(timeoutMs)} ms: ${progress.join(', ')} of ${String(head)}`,
        );
      }
      await sleep(50);
    }
  } finally {
    // Closing stops the runner after its batch and releases the leases: the API started
    // on this directory next takes the builds over at once.
    await readModels.close();
    await store.close();
  }
}
