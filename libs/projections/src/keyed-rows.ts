import type { Statement } from 'better-sqlite3';

/**
 * The rows of many keys, read with one statement instead of one indexed lookup per key: a
 * batch reconciles thousands of keys, and each statement call costs about as much as the
 * lookup it runs. The statement takes the keys as one JSON array and names its rows'
 * key by position in that array, the first column `key_index`:
 *
 *   SELECT k.key AS key_index, t.… FROM json_each(?) AS k
 *     CROSS JOIN some_table AS t ON t.key_column = k.value …
 *
 * (CROSS JOIN keeps the keys the outer loop.) Rows are grouped by the position, never by
 * a value read back, so a key comes back exactly as given whatever its text holds.
 */
/**
 * Keys per set-based read: enough that a call costs little per key, few enough that a
 * large batch's rows are not all held at once.
 */
export const KEYS_PER_READ = 1000;

/** The keys in arrays of at most `size`, in order: one set-based read each. */
export function* keyChunks(
  keys: Iterable<string>,
  size: number = KEYS_PER_READ,
): Generator<string[]> {
  let chunk: string[] = [];
  for (const key of keys) {
    chunk.push(key);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

export function rowsByKey<Row extends { readonly key_index: number }>(
  statement: Statement,
  keys: readonly string[],
): Map<string, Row[]> {
  const byKey = new Map<string, Row[]>();
  if (keys.length === 0) return byKey;
  for (const row of statement.all(JSON.stringify(keys)) as Row[]) {
    const key = keys[row.key_index];
    if (key === undefined) throw new Error(`no key at index ${String(row.key_index)}`);
    const rows = byKey.get(key);
    if (rows) rows.push(row);
    else byKey.set(key, [row]);
  }
  return byKey;
}
