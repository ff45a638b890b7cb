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
