import 'reflect-metadata';

import { plainToInstance, type ClassTransformOptions } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';

import { compiledContract } from './compiled-contract.validator.js';
import {
  escapePointerToken,
  violationsFromValidationErrors,
  type Violation,
} from './contract-violation.js';
import type { DtoClass } from './nested-object.decorator.js';

/**
 * Deeper than any payload of the three providers (≤ 6 levels), far shallower than what
 * would overflow the stack in class-transformer's recursive copy: `JSON.parse` accepts
 * nesting a million levels deep, class-transformer does not.
 */
export const MAX_NESTING_DEPTH = 64;

/**
 * Members no DTO declares and class-transformer must never see: it reads `constructor` off
 * every object it copies without a declared type (an own `"constructor": 5` inside, say,
 * `attendee` makes it throw), and `__proto__` could re-parent its copies.
 */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor']);

const TRANSFORM_OPTIONS: ClassTransformOptions = {
  enableImplicitConversion: false,
  exposeDefaultValues: false,
};

const VALIDATOR_OPTIONS: ValidatorOptions = {
  // An instance whose class has no metadata is an error, never a silent pass.
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

/**
 * Checks a parsed JSON object against a DTO class. A body the compiled check accepts is
 * valid; any other goes through one `plainToInstance` and one `validateSync`, which say
 * what is wrong (or that it is valid after all). Callers keep the object they passed.
 */
export function validateContract(dto: DtoClass, body: object): Violation[] {
  const input = new TransformInput();
  const safe = input.prepare(body, 0);
  if (input.tooDeep !== undefined) {
    return [{ pointer: input.tooDeep, message: `nested deeper than ${MAX_NESTING_DEPTH} levels` }];
  }
  if (compiledContract(dto)(safe as Record<string, unknown>)) return [];
  return classValidatorViolations(dto, safe);
}

/** class-validator's own verdict, explained: the reference the compiled check follows. */
export function classValidatorViolations(dto: DtoClass, safeBody: unknown): Violation[] {
  const instance = plainToInstance(dto, safeBody, TRANSFORM_OPTIONS);
  return violationsFromValidationErrors(validateSync(instance, VALIDATOR_OPTIONS));
}

/**
 * What class-transformer may safely copy: the body itself when it holds no unsafe member
 * (the usual case, no allocation), else a copy of just the containers on the way to them.
 * One walk also finds nesting beyond the limit; recursion is bounded by that limit.
 */
class TransformInput {
  /** JSON Pointer to the first value nested beyond the limit, once found. */
  tooDeep: string | undefined;

  prepare(value: unknown, depth: number): unknown {
    if (typeof value !== 'object' || value === null) return value;
    if (depth >= MAX_NESTING_DEPTH) {
      this.tooDeep = '';
      return value;
    }
    return Array.isArray(value)
      ? this.prepareArray(value, depth)
      : this.prepareObject(value as Record<string, unknown>, depth);
  }

  private prepareArray(array: readonly unknown[], depth: number): unknown {
    let copy: unknown[] | undefined;
    for (let index = 0; index < array.length; index += 1) {
      const element = array[index];
      const prepared = this.prepare(element, depth + 1);
      if (this.tooDeep !== undefined) {
        this.tooDeep = `/${index}${this.tooDeep}`;
        return array;
      }
      if (prepared !== element) {
        copy ??= array.slice();
        copy[index] = prepared;
      }
    }
    return copy ?? array;
  }

  private prepareObject(object: Record<string, unknown>, depth: number): unknown {
    const keys = Object.keys(object);
    let copy: Record<string, unknown> | undefined;
    for (let index = 0; index < keys.length; index += 1) {
      const key = keys[index] ?? '';
      const member = object[key];
      if (UNSAFE_KEYS.has(key)) {
        copy ??= copyOf(object, keys, index);
        continue;
      }
      const prepared = this.prepare(member, depth + 1);
      if (this.tooDeep !== undefined) {
        this.tooDeep = `/${escapePointerToken(key)}${this.tooDeep}`;
        return object;
      }
      if (prepared !== member) copy ??= copyOf(object, keys, index);
      if (copy !== undefined) copy[key] = prepared;
    }
    return copy ?? object;
  }
}

/** A copy of the members before `end`: those were already found safe. */
function copyOf(
  object: Record<string, unknown>,
  keys: readonly string[],
  end: number,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of keys.slice(0, end)) {
    if (!UNSAFE_KEYS.has(key)) copy[key] = object[key];
  }
  return copy;
}
