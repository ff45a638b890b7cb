import { withValue } from '../validation/payload-check.fixtures.js';
import type { PayloadCheck } from '../validation/payload-check.js';
import { COPE_EXAMPLES } from './cope/cope.fixtures.js';
import { checkCopeEvent } from './cope/cope-event.check.js';
import { INGRESSE_EXAMPLES } from './ingresse/ingresse.fixtures.js';
import { checkIngresseWebhook } from './ingresse/ingresse-webhook.check.js';
import { LTD_EXAMPLES } from './ltd/ltd.fixtures.js';
import { checkLtdMessage } from './ltd/ltd-message.check.js';

// Deterministic pseudo-random JSON (mulberry32), so a failure can be replayed.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['__proto__', 'constructor', 'prototype', 'data', 'type', 'id', 'Payload', 'x'];
const STRINGS = ['', '1.0', '2026-13-01T00:00:00Z', '2026-05-05T12:00:00Z', 'ticket', '\u0000'];

function jsonValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 6 : 8));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return [0, -1, 1.5, 2 ** 60, Number.MAX_VALUE][Math.floor(next() * 5)];
    case 3:
    case 4:
      return STRINGS[Math.floor(next() * STRINGS.length)];
    case 5:
      return Math.floor(next() * 1e6);
    case 6:
      return Array.from({ length: Math.floor(next() * 4) }, () => jsonValue(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let member = Math.floor(next() * 4); member > 0; member -= 1) {
        const key = KEYS[Math.floor(next() * KEYS.length)] ?? 'x';
        Object.defineProperty(object, key, {
          value: jsonValue(next, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

/** Every pointer into a value, so a random one can be replaced. */
function pointers(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const pointer = `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    return [pointer, ...pointers((value as Record<string, unknown>)[key], pointer)];
  });
}

const OUTCOMES = [
  'valid',
  'unsupported_type',
  'unsupported_version',
  'contract_violation',
  'not_envelope',
];

const providers: [string, (body: unknown) => PayloadCheck<unknown>, unknown[]][] = [
  ['COPE', checkCopeEvent, Object.values(COPE_EXAMPLES)],
  ['LTD', checkLtdMessage, Object.values(LTD_EXAMPLES)],
  ['Ingresse', checkIngresseWebhook, [...INGRESSE_EXAMPLES]],
];

describe('payload checks on arbitrary input', () => {
  it.each(providers)(
    'given random JSON values and mutated %s examples, when checked, then they never throw',
    (_provider, check, examples) => {
      const next = random(20_260_505);
      for (let round = 0; round < 1500; round += 1) {
        const example = examples[round % examples.length];
        const paths = pointers(example);
        const body =
          round % 3 === 0
            ? jsonValue(next, 0)
            : withValue(
                example,
                paths[Math.floor(next() * paths.length)] ?? '/x',
                jsonValue(next, 0),
              );
        const result = check(body);
        expect(OUTCOMES).toContain(result.outcome);
        if (result.outcome === 'contract_violation') {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const error of result.errors) expect(error.pointer).toMatch(/^(\/[^/]*)*$/);
        }
      }
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    },
  );
});
