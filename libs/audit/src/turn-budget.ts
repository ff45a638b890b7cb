import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Long audit work — reading and hashing every stream head — runs on the API's event
 * loop. It gives the loop back whenever it has held it for the budget, so that a request
 * arriving meanwhile waits about that long at most, whatever the size of the ledger.
 */
export class TurnBudget {
  private turnStartedAt = performance.now();

  constructor(private readonly budgetMs = 2) {}

  /** Yields to the event loop if this turn has used its budget. */
  async pause(): Promise<void> {
    if (performance.now() - this.turnStartedAt < this.budgetMs) return;
    await nextTurn();
    this.turnStartedAt = performance.now();
  }
}
