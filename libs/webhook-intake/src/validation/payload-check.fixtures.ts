// Test helpers: derive broken bodies from valid fixtures without touching the fixtures,
// and read the violations of a check.
import type { Violation } from './contract-violation.js';
import type { PayloadCheck } from './payload-check.js';

type Container = Record<string, unknown> | unknown[];

/** Freezes a fixture all the way down, so a test that mutates it fails loudly. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function unescapeToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

function edit(body: unknown, pointer: string, change: (parent: Container, key: string) => void) {
  const copy: unknown = structuredClone(body);
  const tokens = pointer.split('/').slice(1).map(unescapeToken);
  const last = tokens.pop();
  if (last === undefined) throw new Error('cannot edit the root');
  let parent: unknown = copy;
  for (const token of tokens) {
    if (typeof parent !== 'object' || parent === null) throw new Error(`no ${pointer}`);
    parent = (parent as Record<string, unknown>)[token];
  }
  if (typeof parent !== 'object' || parent === null) throw new Error(`no parent for ${pointer}`);
  change(parent as Container, last);
  return copy as Record<string, unknown>;
}

/** A deep copy of `body` with the value at `pointer` set (created if absent). */
export function withValue(body: unknown, pointer: string, value: unknown): Record<string, unknown> {
  return edit(body, pointer, (parent, key) => {
    Object.defineProperty(parent, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
}

/** A deep copy of `body` without the member at `pointer`. */
export function withoutValue(body: unknown, pointer: string): Record<string, unknown> {
  return edit(body, pointer, (parent, key) => {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else Reflect.deleteProperty(parent, key);
  });
}

/** The violations of a `contract_violation` outcome; any other outcome fails the test. */
export function violationsOf(check: PayloadCheck<unknown>): Violation[] {
  if (check.outcome !== 'contract_violation') {
    throw new Error(`expected a contract_violation, got ${JSON.stringify(check)}`);
  }
  return check.errors;
}

/** The pointers of a `contract_violation` outcome's violations. */
export function violatedPointers(check: PayloadCheck<unknown>): string[] {
  return violationsOf(check).map((violation) => violation.pointer);
}

const RANDOM_KEYS = ['__proto__', 'constructor', 'prototype', 'data', 'type', 'id', 'Payload', 'x'];
const RANDOM_STRINGS = [
  '',
  '1.0',
  '2026-13-01T00:00:00Z',
  '2026-05-05T12:00:00Z',
  'ticket',
  '\u0000',
];

/**
 * Pseudo-random JSON from a seeded generator (replayable), with the values contracts
 * trip over: empty and NUL strings, dates right and wrong, unsafe integers, awkward keys.
 */
export function randomJsonValue(next: () => number, depth = 0): unknown {
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
      return RANDOM_STRINGS[Math.floor(next() * RANDOM_STRINGS.length)];
    case 5:
      return Math.floor(next() * 1e6);
    case 6:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomJsonValue(next, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let member = Math.floor(next() * 4); member > 0; member -= 1) {
        const key = RANDOM_KEYS[Math.floor(next() * RANDOM_KEYS.length)] ?? 'x';
        Object.defineProperty(object, key, {
          value: randomJsonValue(next, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return object;
    }
  }
}

/** Every JSON Pointer into a value, so that a random one can be replaced or removed. */
export function pointersInto(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.keys(value).flatMap((key) => {
    const pointer = `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    return [pointer, ...pointersInto((value as Record<string, unknown>)[key], pointer)];
  });
}
