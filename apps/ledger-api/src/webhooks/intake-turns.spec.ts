import { IntakeTurns } from './intake-turns.js';

/** Synchronous work, as a delivery's parse, validation and hashing are. */
function busyFor(milliseconds: number): void {
  const until = performance.now() + milliseconds;
  while (performance.now() < until);
}

describe('IntakeTurns', () => {
  it('given deliveries waiting, when a read becomes due meanwhile, then it runs between their turns and they keep their order', async () => {
    const log: string[] = [];
    const turns = new IntakeTurns(2, 1);

    const deliveries = [1, 2, 3, 4].map(async (delivery) => {
      await turns.next();
      busyFor(3);
      log.push(`delivery ${String(delivery)}`);
    });
    setTimeout(() => log.push('read'), 1);
    await Promise.all(deliveries);

    expect(log.filter((entry) => entry.startsWith('delivery'))).toEqual([
      'delivery 1',
      'delivery 2',
      'delivery 3',
      'delivery 4',
    ]);
    // Before the last delivery (or even the first, on a slow machine): never behind them all.
    expect(log).toContain('read');
    expect(log.indexOf('read')).toBeLessThan(log.indexOf('delivery 4'));
  });

  it('given cheap deliveries, then several share a turn', async () => {
    const turns = new IntakeTurns();
    let iterations = 0;
    let counting = true;
    const count = () => {
      iterations += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);

    // A first delivery teaches the turns what one costs; the burst follows.
    await turns.next();
    const before = iterations;
    await Promise.all(Array.from({ length: 40 }, () => turns.next()));
    counting = false;

    expect(iterations - before).toBeLessThan(20);
  });

  it('given no delivery waiting, when one comes, then its turn comes at once', async () => {
    const turns = new IntakeTurns();
    await turns.next();
    await expect(turns.next()).resolves.toBeUndefined();
  });
});
