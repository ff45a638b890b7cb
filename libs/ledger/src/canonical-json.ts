import { hash } from 'node:crypto';

/**
 * The value cannot be canonicalised: it is not JSON data (undefined, a function, a symbol, a
 * bigint, a non-plain object) or holds a number JSON cannot carry (NaN, ±Infinity).
 */
export class CanonicalJsonError extends TypeError {
  override readonly name = 'CanonicalJsonError';

  constructor(
    readonly reason: string,
    /** RFC 6901 JSON Pointer to the offending value ('' for the root). */
    readonly pointer: string,
  ) {
    super(`Cannot canonicalise JSON at '${pointer}': ${reason}`);
  }
}

type Frame =
  | { readonly kind: 'array'; readonly items: readonly unknown[]; index: number }
  | {
      readonly kind: 'object';
      readonly members: Readonly<Record<string, unknown>>;
      readonly keys: readonly string[];
      index: number;
    };

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) of JSON data as `JSON.parse` produces it.
 *
 * - object members sorted by the UTF-16 code units of their names (the default `sort`);
 * - numbers as ECMAScript `Number.prototype.toString` (what `JSON.stringify` emits for finite
 *   numbers; `-0` becomes `0`); NaN and ±Infinity are rejected;
 * - strings escaped as `JSON.stringify` escapes them (the JCS rules); a lone surrogate, which
 *   I-JSON forbids, comes out as a `\udXXX` escape rather than an error so that any body
 *   `JSON.parse` accepted still gets a stable form;
 * - no whitespace.
 *
 * Iterative rather than recursive: a 1 MiB body can nest far deeper than the call stack, and
 * `JSON.parse` accepts it.
 *
 * @throws CanonicalJsonError for anything that is not JSON data.
 */
export function canonicalJson(value: unknown): string {
  return shallowCanonicalJson(value, 0) ?? canonicalJsonByWalk(value);
}

/** Far below the call stack's limit, far above the nesting of any real payload. */
const MAX_RECURSION = 256;

/**
 * The usual case, recursive (several times faster than the explicit stack below).
 * Undefined for anything unusual — nesting beyond {@link MAX_RECURSION}, a value to
 * reject — which the iterative walk then takes over, naming the offending value's pointer.
 */
function shallowCanonicalJson(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= MAX_RECURSION) return undefined;
      if (Array.isArray(value)) {
        let out = '[';
        for (let index = 0; index < value.length; index += 1) {
          const item = shallowCanonicalJson(value[index], depth + 1);
          if (item === undefined) return undefined;
          out += index > 0 ? ',' + item : item;
        }
        return out + ']';
      }
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return undefined;
      const members = value as Readonly<Record<string, unknown>>;
      const keys = Object.keys(members).sort();
      let out = '{';
      for (let index = 0; index < keys.length; index += 1) {
        const key = keys[index] as string;
        const member = shallowCanonicalJson(members[key], depth + 1);
        if (member === undefined) return undefined;
        out += (index > 0 ? ',' : '') + JSON.stringify(key) + ':' + member;
      }
      return out + '}';
    }
    default:
      return undefined;
  }
}

/**
 * The same form by an explicit stack: any depth `JSON.parse` accepts; precise errors. The
 * reference the recursive fast path is tested against.
 */
export function canonicalJsonByWalk(value: unknown): string {
  const stack: Frame[] = [];
  let out = '';
  let current = value;

  for (;;) {
    // Write `current`; containers push a frame and continue with their first child.
    switch (typeof current) {
      case 'string':
        out += JSON.stringify(current);
        break;
      case 'number':
        if (!Number.isFinite(current)) {
          throw new CanonicalJsonError(`${String(current)} is not a JSON number`, pointer(stack));
        }
        out += JSON.stringify(current);
        break;
      case 'boolean':
        out += current ? 'true' : 'false';
        break;
      case 'object': {
        if (current === null) {
          out += 'null';
          break;
        }
        if (Array.isArray(current)) {
          const items: readonly unknown[] = current;
          if (items.length === 0) {
            out += '[]';
            break;
          }
          out += '[';
          stack.push({ kind: 'array', items, index: 0 });
          current = items[0];
          continue;
        }
        const prototype: unknown = Object.getPrototypeOf(current);
        if (prototype !== Object.prototype && prototype !== null) {
          throw new CanonicalJsonError('not a plain object', pointer(stack));
        }
        const members = current as Readonly<Record<string, unknown>>;
        const keys = Object.keys(members).sort();
        const first = keys[0];
        if (first === undefined) {
          out += '{}';
          break;
        }
        out += '{' + JSON.stringify(first) + ':';
        stack.push({ kind: 'object', members, keys, index: 0 });
        current = members[first];
        continue;
      }
      default:
        throw new CanonicalJsonError(`a ${typeof current} is not JSON data`, pointer(stack));
    }

    // Move to the next sibling, closing every container that has none left.
    for (;;) {
      const frame = stack[stack.length - 1];
      if (frame === undefined) {
        return out;
      }
      frame.index += 1;
      if (frame.kind === 'array') {
        if (frame.index < frame.items.length) {
          out += ',';
          current = frame.items[frame.index];
          break;
        }
        out += ']';
      } else {
        const key = frame.keys[frame.index];
        if (key !== undefined) {
          out += ',' + JSON.stringify(key) + ':';
          current = frame.members[key];
          break;
        }
        out += '}';
      }
      stack.pop();
    }
  }
}

/** Lower-case hex SHA-256 of the UTF-8 bytes of {@link canonicalJson}. */
export function canonicalJsonSha256(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex');
}

/** Only built when throwing, so the hot path never pays for it. */
function pointer(stack: readonly Frame[]): string {
  let path = '';
  for (const frame of stack) {
    const token = frame.kind === 'array' ? String(frame.index) : (frame.keys[frame.index] ?? '');
    path += '/' + token.replaceAll('~', '~0').replaceAll('/', '~1');
  }
  return path;
}
