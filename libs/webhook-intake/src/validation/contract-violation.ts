import type { ValidationError } from 'class-validator';

/** One way a body breaks its provider's contract. */
export interface Violation {
  /** RFC 6901 JSON Pointer to the offending value in the body; `''` is the body itself. */
  readonly pointer: string;
  readonly message: string;
}

/** Escapes one reference token of a JSON Pointer (RFC 6901 §3: `~` first, then `/`). */
export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function jsonPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((token) => `/${escapePointerToken(String(token))}`).join('');
}

/**
 * Flattens class-validator's error tree into violations, one per offending value.
 *
 * - Every failed constraint of a value is listed, joined with `; ` into one message.
 * - A missing (or null) required value is reported once, as such: its type constraints
 *   would only repeat that it is not there.
 * - A value that fails its own constraints (say an array where an object is expected) is
 *   not judged field by field: what lies inside a wrongly shaped value is noise.
 * - class-validator's "nested property … must be either object or array" becomes
 *   "… must be an object", and is dropped when another constraint already says so.
 */
export function violationsFromValidationErrors(
  errors: readonly ValidationError[],
  parentPointer = '',
): Violation[] {
  const violations: Violation[] = [];
  for (const error of errors) collect(error, parentPointer, violations);
  return violations;
}

const IS_DEFINED = 'isDefined';
const NESTED_VALIDATION = 'nestedValidation';

function collect(error: ValidationError, parentPointer: string, violations: Violation[]): void {
  // class-validator leaves `property` undefined for errors about the object itself
  // (forbidUnknownValues), although its typings say string.
  const property = error.property as string | undefined;
  const pointer =
    property === undefined ? parentPointer : `${parentPointer}/${escapePointerToken(property)}`;
  const message = constraintMessage(error.constraints ?? {}, property);
  if (message !== undefined) {
    violations.push({ pointer, message });
    return;
  }
  for (const child of error.children ?? []) collect(child, pointer, violations);
}

function constraintMessage(
  constraints: Readonly<Record<string, string>>,
  property: string | undefined,
): string | undefined {
  const missing = constraints[IS_DEFINED];
  if (missing !== undefined) return missing;
  const names = Object.keys(constraints);
  if (names.length === 0) return undefined;
  if (names.length === 1 && names[0] === NESTED_VALIDATION) {
    return `${property ?? 'value'} must be an object`;
  }
  const messages = names
    .filter((name) => name !== NESTED_VALIDATION)
    .map((name) => constraints[name])
    .filter((text): text is string => text !== undefined);
  return [...new Set(messages)].join('; ');
}
