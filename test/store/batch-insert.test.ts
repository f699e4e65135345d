import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BatchInsert } from '../../cli/store/batch-insert.js';

function table(): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE r (a INTEGER PRIMARY KEY, b TEXT NOT NULL)');
  return db;
}

describe('BatchInsert', () => {
  it('inserts every queued row, in order, for counts that need one statement or several', () => {
    for (const n of [0, 1, 2, 3, 40, 127, 128, 129, 300]) {
      const db = table();
      const rows = new BatchInsert(db, 'r', ['a', 'b']);
      for (let i = 0; i < n; i++) rows.add(i, `row ${i}`);
      rows.flush();
      const stored = db.prepare('SELECT a, b FROM r ORDER BY rowid').all() as {
        a: number;
        b: string;
      }[];
      expect(stored, `${n} rows`).toEqual(
        Array.from({ length: n }, (_, i) => ({ a: i, b: `row ${i}` })),
      );
    }
  });

  it('leaves nothing queued after a failed insert, so the next flush writes only its own rows', () => {
    const db = table();
    const rows = new BatchInsert(db, 'r', ['a', 'b']);
    const inTransaction = db.transaction((work: () => void) => work());
    rows.add(1, 'one');
    rows.add(1, 'duplicate key');
    expect(() => inTransaction(() => rows.flush())).toThrow(/UNIQUE constraint failed/);
    rows.add(2, 'two');
    inTransaction(() => rows.flush());
    expect(db.prepare('SELECT a, b FROM r').all()).toEqual([{ a: 2, b: 'two' }]);
  });
});
