import type { ReadModels } from '#read-models';
import { ReconciledRead, ReconciledReadHandler } from './reconciled-read.queries.js';

/** Read models whose serving state the test moves by hand. */
class MovingReadModels {
  state = 'b1@10';
  servingState(): string {
    return this.state;
  }
}

describe('ReconciledReadHandler', () => {
  function setUp() {
    const readModels = new MovingReadModels();
    const handler = new ReconciledReadHandler(readModels as unknown as ReadModels);
    let reads = 0;
    const read = (key: string | undefined) =>
      new ReconciledRead(
        ['attendance'],
        () => {
          reads += 1;
          return { reads };
        },
        key,
      );
    return { readModels, handler, read, reads: () => reads };
  }

  it('given a cacheable read, when asked again while the read models stand still, then it answers from memory', async () => {
    const { handler, read, reads } = setUp();

    const first = await handler.execute(read('attendance/E1'));
    const second = await handler.execute(read('attendance/E1'));

    expect(second).toBe(first);
    expect(reads()).toBe(1);
  });

  it('given a cacheable read, when the read models moved (checkpoint or build), then it reads again', async () => {
    const { readModels, handler, read, reads } = setUp();
    await handler.execute(read('attendance/E1'));

    readModels.state = 'b1@11';
    await handler.execute(read('attendance/E1'));
    readModels.state = 'b2@11';
    const third = await handler.execute(read('attendance/E1'));

    expect(reads()).toBe(3);
    expect(third).toEqual({ reads: 3 });
  });

  it('given reads of different answers or without a key, then none answers for another', async () => {
    const { handler, read, reads } = setUp();

    await handler.execute(read('attendance/E1'));
    await handler.execute(read('attendance/E2'));
    await handler.execute(read(undefined));
    await handler.execute(read(undefined));

    expect(reads()).toBe(4);
  });
});
