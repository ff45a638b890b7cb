import { hash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';

/** Headers a receipt keeps: never `Authorization`, cookies or anything unlisted. */
export function allowListedHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (
      name === 'content-type' ||
      name === 'user-agent' ||
      name.startsWith('webhook-') ||
      name.startsWith('ce-')
    ) {
      kept[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return kept;
}

/** The body as a receipt stores it: text when it is UTF-8, base64 otherwise (byte for byte either way). */
export function storedBody(raw: Buffer): { rawBody: string; rawBodyEncoding: 'utf8' | 'base64' } {
  return isUtf8(raw)
    ? { rawBody: raw.toString('utf8'), rawBodyEncoding: 'utf8' }
    : { rawBody: raw.toString('base64'), rawBodyEncoding: 'base64' };
}

export function sha256Hex(bytes: Buffer | string): string {
  return hash('sha256', bytes, 'hex');
}

/** Restores the bytes a receipt stored. */
export function receivedBytes(receipt: {
  rawBody: string;
  rawBodyEncoding: 'utf8' | 'base64';
}): Buffer {
  return Buffer.from(receipt.rawBody, receipt.rawBodyEncoding);
}
