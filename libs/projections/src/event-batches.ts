import type { RecordedEvent } from '#event-store';

const IDLE = Symbol('idle');

export interface EventBatch {
  readonly events: RecordedEvent[];
  /** True when nothing more was available: the reader has caught up with the log. */
  readonly drained: boolean;
}

/**
 * Groups a subscription's events into batches: everything that is already available
 * (up to `maxBatch`) goes into one batch, so a catch-up applies large batches and a
 * live projection applies each append as soon as it arrives. "Available" means the
 * next event arrives before the event loop's next turn. When the reader catches up
 * with a full batch, an empty drained batch says so before it waits for more.
 */
export async function* eventBatches(
  events: AsyncIterator<RecordedEvent>,
  maxBatch: number,
): AsyncGenerator<EventBatch> {
  let pending = events.next();
  let idleAnnounced = false;
  for (;;) {
    // One timer per batch: racing it against each next event costs a promise, not a timer.
    const nextTurn = new Promise<typeof IDLE>((resolve) => {
      setImmediate(resolve, IDLE);
    });
    const batch: RecordedEvent[] = [];
    let drained = false;
    while (batch.length < maxBatch) {
      const next = await Promise.race([pending, nextTurn]);
      if (next === IDLE) {
        drained = true;
        break;
      }
      if (next.done) {
        if (batch.length > 0) yield { events: batch, drained: true };
        return;
      }
      batch.push(next.value);
      pending = events.next();
    }
    if (batch.length > 0) {
      idleAnnounced = drained;
      yield { events: batch, drained };
    } else {
      if (!idleAnnounced) {
        idleAnnounced = true;
        yield { events: batch, drained: true };
      }
      // Nothing is available: wait for the next event without polling the timer.
      const next = await pending;
      if (next.done) return;
      pending = Promise.resolve(next);
    }
  }
}
