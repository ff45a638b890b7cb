import type { RecordedEvent, Subscription } from '../event-store.port.js';

/** Wakes everyone waiting for the next append; a waiter also wakes after a timeout. */
export class AppendSignal {
  private waiters: (() => void)[] = [];

  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      // Unref'd: a waiting subscription alone must not keep the process alive.
      const timer = setTimeout(wake, timeoutMs).unref();
      const waiters = this.waiters;
      function wake(): void {
        clearTimeout(timer);
        resolve();
      }
      waiters.push(wake);
    });
  }

  wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

interface PollingSubscriptionSource {
  readonly afterPosition: number;
  /** Reads the next page of the global log after a position (synchronously). */
  readonly read: (afterPosition: number, limit: number) => RecordedEvent[];
  readonly waitForAppend: () => Promise<void>;
  /** Forgets the subscription and wakes it if it is waiting. */
  readonly onStop: (subscription: PollingSubscription) => void;
}

const PAGE_SIZE = 500;

/**
 * Catch-up subscription over a log that can be read by position: pages through what
 * is stored, then waits for the next append (or a poll, for appends made by another
 * process) and carries on from the last position it delivered.
 */
export class PollingSubscription implements Subscription, AsyncIterator<RecordedEvent> {
  private page: RecordedEvent[] = [];
  private index = 0;
  private cursor: number;
  private stopped = false;

  constructor(private readonly source: PollingSubscriptionSource) {
    this.cursor = source.afterPosition;
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this;
  }

  async next(): Promise<IteratorResult<RecordedEvent>> {
    for (;;) {
      if (this.stopped) return { done: true, value: undefined };
      const buffered = this.page[this.index];
      if (buffered) {
        this.index += 1;
        this.cursor = buffered.position;
        return { done: false, value: buffered };
      }
      this.page = this.source.read(this.cursor, PAGE_SIZE);
      this.index = 0;
      if (this.page.length === 0) {
        await this.source.waitForAppend();
      }
    }
  }

  async return(): Promise<IteratorResult<RecordedEvent>> {
    await this.stop();
    return { done: true, value: undefined };
  }

  stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.page = [];
      // Wakes every waiting subscription; the others simply read again and wait.
      this.source.onStop(this);
    }
    return Promise.resolve();
  }
}
