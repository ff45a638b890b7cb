import type { RecordedEvent } from '#event-store';

const IDLE = Symbol('idle');

/**
 * Groups a subscription's events into batches: everything that is already available
 * (up to `maxBatch`) goes into one batch, so a catch-up applies large batches and a
 * live projection applies each append as soon as it arrives. "Available" means the
 * next event arrives before the event loop's next turn.
 */
export async function* eventBatches(
  events: AsyncIterator<RecordedEvent>,
  maxBatch: number,
): AsyncGenerator<{ readonly events: RecordedEvent[]; readonly drained: boolean }> {
  let pending = events.next();
  for (;;) {
    const first = await pending;
    if (first.done) return;
    const batch = [first.value];
    pending = events.next();
    // One timer per batch: racing it against each next event costs a promise, not a timer.
    const nextTurn = new Promise<typeof IDLE>((resolve) => {
      setImmediate(resolve, IDLE);
    });
    let drained = false;
    while (batch.length < maxBatch) {
      const next = await Promise.race([pending, nextTurn]);
      if (next === IDLE) {
        drained = true;
        break;
      }
      if (next.done) {
        yield { events: batch, drained: true };
        return;
      }
      batch.push(next.value);
      pending = events.next();
    }
    yield { events: batch, drained };
  }
}
