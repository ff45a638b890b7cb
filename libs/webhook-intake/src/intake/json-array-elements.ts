const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function isWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/**
 * The bytes of each element of a top-level JSON array, exactly as sent (surrounding
 * whitespace trimmed), so that each element of a CloudEvents batch keeps its own
 * bytes in its receipt. The input must already have parsed as a JSON array.
 */
export function jsonArrayElements(raw: Buffer): Buffer[] {
  const elements: Buffer[] = [];
  let index = raw.indexOf(OPEN_BRACKET) + 1;
  let start = index;
  let depth = 0;
  let inString = false;
  for (; index < raw.length; index += 1) {
    const byte = raw[index];
    if (inString) {
      if (byte === BACKSLASH) index += 1;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth += 1;
    else if (byte === CLOSE_BRACE || (byte === CLOSE_BRACKET && depth > 0)) depth -= 1;
    else if (depth === 0 && (byte === COMMA || byte === CLOSE_BRACKET)) {
      const element = trim(raw, start, index);
      if (element.length > 0) elements.push(element);
      if (byte === CLOSE_BRACKET) break;
      start = index + 1;
    }
  }
  return elements;
}

function trim(raw: Buffer, start: number, end: number): Buffer {
  let from = start;
  let to = end;
  while (from < to && isWhitespace(raw[from])) from += 1;
  while (to > from && isWhitespace(raw[to - 1])) to -= 1;
  return raw.subarray(from, to);
}
