const ATTRIBUTE_HEADER_PREFIX = 'ce-';

function define(event: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, not assignment: a `ce-__proto__` header must stay a plain member.
  Object.defineProperty(event, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * CloudEvents HTTP binding §3.1.3.2: unescape a double-quoted value, then one round of
 * percent-decoding. A value that does not decode (bad escapes, invalid UTF-8) is kept as
 * sent rather than guessed at.
 */
export function decodeCloudEventsHeaderValue(raw: string): string {
  const unquoted =
    raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')
      ? raw.slice(1, -1).replace(/\\(.)/g, '$1')
      : raw;
  try {
    return decodeURIComponent(unquoted);
  } catch {
    return unquoted;
  }
}

/**
 * A CloudEvent received in HTTP binary mode, as the structured-mode object
 * {@link checkCopeEvent} reads: every `ce-<attr>` header becomes attribute `<attr>`
 * (lower-case), `content-type` becomes `datacontenttype`, and the parsed body becomes `data`.
 */
export function copeEventFromBinaryMode(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  data: unknown,
): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  let contentType: string | undefined;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const header = name.toLowerCase();
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (header === 'content-type') {
      contentType = value;
    } else if (header.startsWith(ATTRIBUTE_HEADER_PREFIX)) {
      const attribute = header.slice(ATTRIBUTE_HEADER_PREFIX.length);
      // `data` travels in the body, never in a header.
      if (attribute !== '' && attribute !== 'data') {
        define(event, attribute, decodeCloudEventsHeaderValue(value));
      }
    }
  }
  if (contentType !== undefined) define(event, 'datacontenttype', contentType);
  if (data !== undefined) define(event, 'data', data);
  return event;
}
