/**
 * Hands the event loop to deliveries a few at a time: waiting deliveries get their turn
 * in an event-loop iteration (a `setImmediate` chain), and between two turns the loop
 * polls its sockets. A delivery's synchronous work — authenticate, parse, validate,
 * decide, hash — takes a few hundred microseconds; without turns, a burst of fifty of
 * them would run back to back and every read arriving meanwhile (an attendance query, a
 * health check) would wait behind the whole burst.
 *
 * How many go per turn follows a time budget: the cost of a delivery is estimated from
 * how long the previous iterations took per delivery released, reads and all. Alone,
 * deliveries go up to sixteen per turn; when reads crowd the loop the estimate grows and
 * they go three at a time, so that neither side starves. Deliveries keep their arrival order, and commits still group: the
 * writer gathers appends across turns.
 */
export class IntakeTurns {
  private readonly waiting: (() => void)[] = [];
  private running = false;
  private lastTurnAt = 0;
  private releasedLastTurn = 0;
  /** Event-loop milliseconds per delivery released, smoothed; starts cautious. */
  private costPerDelivery: number;

  constructor(
    private readonly budgetMs = 2,
    /** Reads get the loop between turns, but never all of it: deliveries keep a share. */
    private readonly minPerTurn = 3,
    private readonly maxPerTurn = 16,
  ) {
    this.costPerDelivery = budgetMs;
  }

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
      const now = performance.now();
      if (this.releasedLastTurn > 0) {
        const observed = (now - this.lastTurnAt) / this.releasedLastTurn;
        this.costPerDelivery = 0.7 * this.costPerDelivery + 0.3 * observed;
      }
      const quota = Math.min(
        this.maxPerTurn,
        Math.max(this.minPerTurn, Math.floor(this.budgetMs / this.costPerDelivery)),
      );
      let released = 0;
      for (; released < quota && this.waiting.length > 0; released += 1) this.waiting.shift()?.();
      this.lastTurnAt = now;
      this.releasedLastTurn = released;
      if (this.waiting.length > 0) {
        this.scheduleTurn();
      } else {
        this.running = false;
        // An idle gap is not a delivery's cost: the next burst starts from the estimate.
        this.releasedLastTurn = 0;
      }
    });
  }
}
