import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Provider } from '#ledger';
import { jsonArrayElements } from '#webhook-intake';

/** One webhook found in an export file: its provider (given or detected) and its bytes. */
export interface FileWebhook {
  readonly source: string;
  readonly provider: Provider | undefined;
  readonly body: Buffer;
}

/**
 * The webhooks saved in a file or a folder of files (a backfill from a provider's
 * export): `.ndjson` / `.jsonl` hold one per line; `.json` holds one webhook or an
 * array of them. Each keeps its own bytes, so that its receipt keeps them too.
 */
export function readWebhookFiles(path: string, provider: Provider | undefined): FileWebhook[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((name) => /\.(json|ndjson|jsonl)$/i.test(name))
        .sort()
        .map((name) => join(path, name))
    : [path];
  return files.flatMap((file) => webhooksOfFile(file, provider));
}

function webhooksOfFile(file: string, provider: Provider | undefined): FileWebhook[] {
  const bytes = readFileSync(file);
  const lines = /\.(ndjson|jsonl)$/i.test(extname(file))
    ? splitLines(bytes)
    : topLevelElements(bytes);
  return lines.map((body, index) => ({
    source: `${file}#${String(index + 1)}`,
    provider: provider ?? detectProvider(body),
    body,
  }));
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let index = 0; index <= bytes.length; index += 1) {
    if (index === bytes.length || bytes[index] === 0x0a) {
      const line = bytes.subarray(start, index);
      if (line.toString('utf8').trim() !== '') lines.push(line);
      start = index + 1;
    }
  }
  return lines;
}

/** A `.json` file holding an array is a list of webhooks (each with its own bytes); anything else is one. */
function topLevelElements(bytes: Buffer): Buffer[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return [bytes];
  }
  return Array.isArray(parsed) ? jsonArrayElements(bytes) : [bytes];
}

/** COPE CloudEvents carry `specversion`, LTD messages `MessageType`, Ingresse webhooks `webhook`. */
export function detectProvider(body: Buffer): Provider | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  if ('specversion' in parsed) return 'cope';
  if ('MessageType' in parsed) return 'ltd';
  if ('webhook' in parsed) return 'ingresse';
  return undefined;
}
