import type { LedgerEvent } from '#ledger';

/** A seeded PRNG (mulberry32): the same seed replays the same orders. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One possible global log of several streams: interleaved at random (each stream keeps
 * its own order, as the store guarantees), then cut into random batches of 1–5 events.
 */
export function shuffledBatches(
  streams: readonly LedgerEvent[][],
  next: () => number,
): LedgerEvent[][] {
  const cursors = streams.map(() => 0);
  const log: LedgerEvent[] = [];
  for (;;) {
    const open = streams.flatMap((stream, index) =>
      (cursors[index] ?? 0) < stream.length ? [index] : [],
    );
    if (open.length === 0) break;
    const index = open[Math.floor(next() * open.length)] ?? 0;
    const position = cursors[index] ?? 0;
    const event = streams[index]?.[position];
    if (event) log.push(event);
    cursors[index] = position + 1;
  }
  const batches: LedgerEvent[][] = [];
  for (let start = 0; start < log.length;) {
    const size = 1 + Math.floor(next() * 5);
    batches.push(log.slice(start, start + size));
    start += size;
  }
  return batches;
}
