import {
  StoreUnavailableError,
  type EventStore,
  type RecordedEvent,
  type Subscription,
} from '#event-store';
import { eventBatches, type EventBatch } from './event-batches.js';

/** Events per read of the store (its default page). */
const READ_PAGE = 1000;

export interface LogFeedOptions {
  /** Exclusive: the feed starts with the first event after this position. */
  readonly afterPosition: number;
  /** Events per page while catching up (reading what is stored). */
  readonly catchUpBatch: number;
  /** Largest batch once caught up (following appends). */
  readonly liveBatch: number;
  /** First wait before reading again after the store was unavailable (doubles up to 5 s). */
  readonly retryMs?: number;
}

const MAX_RETRY_MS = 5000;

/**
 * The global log in batches, for every build that reads it from the same position:
 * while behind, it reads stored pages of `catchUpBatch` straight from the store (one
 * call per page, not one promise per event); once a page comes back short it follows
 * appends through a subscription, in batches of what is available. A short page is a
 * drained batch, and so is a live batch after which nothing more was available.
 *
 * A store that cannot answer (EventStoreDB unreachable, a file locked) is no fault of
 * the builds: the feed waits, then reads again from the last event it gave, so the read
 * models resume by themselves once the store is back. Any other error ends the feed.
 */
export class LogFeed implements AsyncIterable<EventBatch> {
  private subscription: Subscription | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly options: LogFeedOptions,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<EventBatch> {
    let position = this.options.afterPosition;
    let retryMs = this.options.retryMs ?? 250;
    while (!this.isStopped()) {
      try {
        for await (const batch of this.batchesAfter(position)) {
          position = batch.events.at(-1)?.position ?? position;
          retryMs = this.options.retryMs ?? 250;
          yield batch;
        }
        return;
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        await this.pause(retryMs);
        retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
      }
    }
  }

  private async *batchesAfter(afterPosition: number): AsyncGenerator<EventBatch> {
    const { catchUpBatch, liveBatch } = this.options;
    let position = afterPosition;
    for (;;) {
      if (this.isStopped()) return;
      const events: RecordedEvent[] = [];
      let drained = false;
      // Pages of the store's own size: each page's raw rows are garbage before the next
      // is read, so a large batch holds only its parsed events.
      while (events.length < catchUpBatch && !drained) {
        const limit = Math.min(READ_PAGE, catchUpBatch - events.length);
        const page = await this.store.readAll({ afterPosition: position, limit });
        for (const event of page) events.push(event);
        position = page.at(-1)?.position ?? position;
        drained = page.length < limit;
      }
      yield { events, drained };
      if (drained) break;
    }
    if (this.isStopped()) return;
    const subscription = this.store.subscribeToAll({ afterPosition: position });
    this.subscription = subscription;
    try {
      // The catch-up's last page already said it was drained: no empty batch to say it again.
      let drained = true;
      for await (const batch of eventBatches(subscription[Symbol.asyncIterator](), liveBatch)) {
        if (drained && batch.events.length === 0) continue;
        drained = batch.drained;
        yield batch;
      }
    } finally {
      await subscription.stop();
    }
  }

  /** A method, not the field: `stop()` may be called while the generator is suspended. */
  private isStopped(): boolean {
    return this.stopped;
  }

  /** Waits before reading again; `stop()` cuts the wait short. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = undefined;
    });
  }

  /** Ends the iteration, also while it waits for an append or to read again. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.subscription?.stop();
  }
}
