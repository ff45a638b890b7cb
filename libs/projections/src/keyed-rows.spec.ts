import BetterSqlite3 from 'better-sqlite3';
import { keyChunks, rowsByKey } from './keyed-rows.js';

describe('rowsByKey', () => {
  const db = new BetterSqlite3(':memory:');
  db.exec(
    `CREATE TABLE t (code TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (code, n)) WITHOUT ROWID`,
  );
  const insert = db.prepare('INSERT INTO t (code, n) VALUES (?, ?)');
  const select = db.prepare(`SELECT k.key AS key_index, t.n FROM json_each(?) AS k
    CROSS JOIN t ON t.code = k.value ORDER BY k.key, t.n DESC`);
  // Text a JSON array or a read-back could alter: quotes, NUL, a lone surrogate, a number.
  const odd = ['"q"\\', 'a\u0000b', 'x\ud800y', '12'];
  for (const [i, code] of ['a', 'b', ...odd].entries()) {
    insert.run(code, i);
    insert.run(code, i + 10);
  }

  afterAll(() => {
    db.close();
  });

  it("groups each key's rows under the key as given, in the statement's order", () => {
    const rows = rowsByKey<{ key_index: number; n: number }>(select, ['b', 'missing', 'a']);

    expect([...rows.keys()]).toEqual(['b', 'a']);
    expect(rows.get('a')?.map((row) => row.n)).toEqual([10, 0]);
    expect(rows.get('b')?.map((row) => row.n)).toEqual([11, 1]);
    expect(rows.has('missing')).toBe(false);
  });

  it('finds keys whatever their text holds, as a bound parameter would', () => {
    const rows = rowsByKey<{ key_index: number; n: number }>(select, odd);

    for (const [i, code] of odd.entries()) {
      expect(rows.get(code)?.map((row) => row.n)).toEqual([i + 12, i + 2]);
    }
  });

  it('runs nothing for no keys', () => {
    expect(rowsByKey(select, []).size).toBe(0);
  });
});

describe('keyChunks', () => {
  it('splits keys into arrays of at most the given size, in order', () => {
    expect([...keyChunks(new Set(['a', 'b', 'c', 'd', 'e']), 2)]).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e'],
    ]);
    expect([...keyChunks(['a', 'b'], 2)]).toEqual([['a', 'b']]);
    expect([...keyChunks([])]).toEqual([]);
  });
});
