/**
 * Hands the event loop to deliveries one at a time: each waiting delivery gets its turn
 * in an event-loop iteration of its own (a `setImmediate` chain), and between two turns
 * the loop polls its sockets. A delivery's synchronous work — authenticate, parse,
 * validate, decide, hash — takes a few hundred microseconds; without turns, a burst of
 * fifty of them would run back to back and every read arriving meanwhile (an
 * attendance query, a health check) would wait behind the whole burst. Deliveries keep
 * their arrival order, and commits still group: the writer gathers appends across turns.
 */
export class IntakeTurns {
  private readonly waiting: (() => void)[] = [];
  private running = false;

  /** Resolves when it is the caller's turn; its continuation runs before the next poll. */
  next(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (!this.running) this.scheduleTurn();
    });
  }

  private scheduleTurn(): void {
    this.running = true;
    // An immediate scheduled from an immediate runs in the next loop iteration, after a poll.
    setImmediate(() => {
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.scheduleTurn();
      else this.running = false;
    });
  }
}
