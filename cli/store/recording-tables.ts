// Whether a file has the tables and columns a recording reader reads, compared with the schema
// itself (schemas/recording.sql applied to an empty in-memory database), so the two cannot drift.

import { Damage } from './row-checks.js';
import { openDatabase, recordingSchema, type Db } from './sqlite.js';

/** The tables readers read (rollups are rebuilt from hist, never read by the CLI). */
const READ_TABLES = ['meta', 'series', 'bucket', 'second', 'hist', 'health'];

let expected: Map<string, string[]> | null = null;

function columnsOf(db: Db, table: string): string[] {
  return (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
}

function expectedColumns(): Map<string, string[]> {
  if (!expected) {
    const db = openDatabase(':memory:', { create: true });
    db.exec(recordingSchema());
    expected = new Map(READ_TABLES.map((t) => [t, columnsOf(db, t)]));
    db.close();
  }
  return expected;
}

/** Throws Damage naming the first table or column a reader needs and the file lacks. */
export function checkTables(db: Db): void {
  for (const [table, columns] of expectedColumns()) {
    const has = new Set(columnsOf(db, table));
    if (has.size === 0) throw new Damage(`it has no ${table} table`);
    const missing = columns.find((c) => !has.has(c));
    if (missing) throw new Damage(`its ${table} table has no ${missing} column`);
  }
}
