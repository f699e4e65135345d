// Malformed recordings, made from a real small one by one SQL (or byte) mutation each: the
// classes outside testers used (bad counts JSON, corrupt pages, counts of 2^64, garbage key_json,
// missing meta, NULLs, `__proto__` keys, duplicate t, dangling ids, garbage start times, huge t,
// a 2 MB key, terminal escapes). Every command that reads a recording, and the viewer's loader,
// must answer each with a one-line message naming the file, or read it; never crash.

import Database from 'better-sqlite3';
import fc from 'fast-check';
import { copyFileSync, openSync, statSync, writeSync, closeSync, truncateSync } from 'node:fs';
import { join } from 'node:path';

type Db = Database.Database;

export interface Mutation {
  name: string;
  /**
   * Still a recording every reader must read (text that is only odd, negative counts, parts the
   * CLI never reads such as rollups). Any other mutant must be refused by whatever reads the
   * part it damaged.
   */
  readable?: true;
  /** Changes the copy of the good recording at `path` (SQL through `db`, or its bytes). */
  apply: (db: Db, path: string) => void;
}

/** Runs SQL statements on the copy. */
const sql =
  (...statements: string[]) =>
  (db: Db) => {
    for (const s of statements) db.exec(s);
  };

/** Lets a table take NULLs (and any duplicate) by dropping its NOT NULL and key constraints. */
function loosen(db: Db, table: string): void {
  const create = (
    db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').get(table) as { sql: string }
  ).sql;
  const loose = create
    .replace(/NOT NULL/g, '')
    .replace(/PRIMARY KEY \([^)]*\)\s*,?/g, '')
    .replace(/PRIMARY KEY/g, '')
    .replace(/UNIQUE \([^)]*\)\s*,?/g, '')
    .replace(/,\s*\)\s*(WITHOUT ROWID)?\s*$/, ')')
    .replace(/WITHOUT ROWID/, '');
  db.exec(`ALTER TABLE ${table} RENAME TO ${table}_old`);
  db.exec(loose.replace(`CREATE TABLE ${table}`, `CREATE TABLE ${table}`));
  db.exec(`INSERT INTO ${table} SELECT * FROM ${table}_old; DROP TABLE ${table}_old`);
}

const loosened =
  (table: string, ...statements: string[]) =>
  (db: Db) => {
    loosen(db, table);
    sql(...statements)(db);
  };

/** Overwrites `length` bytes at `offset` (negative: from the end) with a pattern. */
const bytes =
  (offset: number, length: number, fill = 0xa5) =>
  (_db: Db, path: string) => {
    const at = offset < 0 ? statSync(path).size + offset : offset;
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(length, fill), 0, length, at);
    closeSync(fd);
  };

const ESC = '\u001b';
const TWO_MB = 'k'.repeat(2 << 20);

export const MUTATIONS: Mutation[] = [
  // counts
  { name: 'counts-not-json', apply: sql(`UPDATE hist SET counts = '{"1":' WHERE t = 5`) },
  {
    name: 'counts-garbage-every-row',
    apply: sql(`UPDATE hist SET counts = 'garbage'`, `UPDATE rollup SET counts = 'garbage'`),
  },
  { name: 'counts-array', apply: sql(`UPDATE hist SET counts = '[1,2,3]' WHERE t = 5`) },
  {
    name: 'counts-string-values',
    apply: sql(`UPDATE hist SET counts = '{"1":"many"}' WHERE t = 5`),
  },
  { name: 'counts-fraction', apply: sql(`UPDATE hist SET counts = '{"1":1.5}' WHERE t = 5`) },
  { name: 'counts-bad-key', apply: sql(`UPDATE hist SET counts = '{"x":1}' WHERE t = 5`) },
  {
    name: 'counts-2^64',
    apply: sql(`UPDATE hist SET counts = '{"1":18446744073709551616}' WHERE t = 5`),
  },
  { name: 'counts-1e400', apply: sql(`UPDATE hist SET counts = '{"1":1e400}' WHERE t = 5`) },
  {
    name: 'counts-negative',
    readable: true,
    apply: sql(`UPDATE hist SET counts = '{"1":-5}' WHERE t = 5`),
  },
  {
    name: 'counts-proto-key',
    apply: sql(`UPDATE hist SET counts = '{"__proto__":5}' WHERE t = 5`),
  },
  {
    name: 'counts-injected-row',
    apply: sql(`UPDATE hist SET counts = '{}],[999999999999,1,{}' WHERE t = 5`),
  },
  { name: 'counts-blob', apply: sql(`UPDATE hist SET counts = x'00ff00' WHERE t = 5`) },
  {
    name: 'rollup-counts-not-json',
    readable: true,
    apply: sql(`UPDATE rollup SET counts = '{"1":' WHERE level = 1 AND t = 5`),
  },
  {
    name: 'rollup-counts-garbage',
    readable: true,
    apply: sql(`UPDATE rollup SET counts = 'nope'`),
  },
  {
    name: 'counts-dangling-bucket',
    apply: sql(`UPDATE hist SET counts = '{"99999":5}' WHERE t = 5`),
  },
  // series
  { name: 'key-json-garbage', apply: sql(`UPDATE series SET key_json = 'not json' WHERE id = 1`) },
  { name: 'key-json-object', apply: sql(`UPDATE series SET key_json = '{"a":1}' WHERE id = 1`) },
  {
    name: 'key-json-numbers',
    apply: sql(`UPDATE series SET key_json = '[1, null, {}]' WHERE id = 1`),
  },
  {
    name: 'key-proto',
    readable: true,
    apply: sql(`UPDATE series SET key = '__proto__', key_json = '["__proto__"]' WHERE id = 1`),
  },
  {
    name: 'key-2mb',
    apply: (db) =>
      db
        .prepare('UPDATE series SET key = ? || id, key_json = json_array(? || id)')
        .run(TWO_MB, TWO_MB),
  },
  {
    name: 'key-escapes',
    readable: true,
    apply: (db) =>
      db
        .prepare('UPDATE series SET key = ?, key_json = ? WHERE id = 1')
        .run(`${ESC}[2J${ESC}]0;owned\u0007`, JSON.stringify([`${ESC}[2J${ESC}]0;owned\u0007`])),
  },
  {
    name: 'series-nulls',
    apply: loosened(
      'series',
      `UPDATE series SET key = NULL, key_json = NULL, aggregation = NULL, scheme = NULL WHERE id = 1`,
    ),
  },
  {
    name: 'series-id-text',
    apply: loosened('series', `UPDATE series SET id = 'one' WHERE id = 1`),
  },
  {
    name: 'hist-dangling-series',
    apply: sql(
      `UPDATE hist SET series_id = 999 WHERE t = 5 AND series_id = (SELECT min(series_id) FROM hist WHERE t = 5)`,
    ),
  },
  {
    name: 'rollup-dangling-series',
    readable: true,
    apply: sql(
      `UPDATE rollup SET series_id = 999 WHERE level = 60 AND series_id = (SELECT min(series_id) FROM rollup WHERE level = 60 AND series_id > 0)`,
    ),
  },
  {
    name: 'hist-series-text',
    apply: loosened('hist', `UPDATE hist SET series_id = 'x' WHERE t = 5`),
  },
  // buckets
  { name: 'bucket-lo-text', apply: sql(`UPDATE bucket SET lo = 'low' WHERE id = 1`) },
  { name: 'bucket-lo-real', apply: sql(`UPDATE bucket SET lo = 1.5e30 WHERE id = 1`) },
  { name: 'bucket-lo-above-hi', apply: sql(`UPDATE bucket SET lo = 1000, hi = 10 WHERE id = 1`) },
  { name: 'bucket-id-huge', apply: sql(`UPDATE bucket SET id = 9000000000 WHERE id = 1`) },
  // seconds
  {
    name: 'second-t-9e9',
    apply: sql(`INSERT INTO second (t, wall_ms, events, partial) VALUES (9000000000, 0, 1, 0)`),
  },
  {
    name: 'second-t-negative',
    apply: sql(`INSERT INTO second (t, wall_ms, events, partial) VALUES (-5, 0, 1, 0)`),
  },
  { name: 'hist-t-9e9', apply: sql(`UPDATE hist SET t = 9000000000 WHERE t = 5`) },
  {
    name: 'second-duplicate-t',
    apply: loosened('second', `INSERT INTO second SELECT * FROM second WHERE t = 5`),
  },
  {
    name: 'hist-duplicate-t',
    apply: loosened('hist', `INSERT INTO hist SELECT * FROM hist WHERE t = 5`),
  },
  {
    name: 'second-nulls',
    apply: loosened(
      'second',
      `UPDATE second SET wall_ms = NULL, events = NULL, partial = NULL WHERE t = 5`,
    ),
  },
  {
    name: 'second-text',
    apply: sql(`UPDATE second SET wall_ms = 'noon', events = 'lots' WHERE t = 5`),
  },
  { name: 'second-t-text', apply: loosened('second', `UPDATE second SET t = 'five' WHERE t = 5`) },
  {
    name: 'events-negative',
    readable: true,
    apply: sql(`UPDATE second SET events = -100 WHERE t = 5`),
  },
  {
    name: 'events-2^64',
    apply: sql(`UPDATE second SET events = 18446744073709551616 WHERE t = 5`),
  },
  { name: 'tick-ns-text', apply: sql(`UPDATE second SET tick_ns = 'tock' WHERE t = 5`) },
  // meta
  { name: 'meta-missing', apply: sql(`DELETE FROM meta`) },
  { name: 'meta-no-start', apply: sql(`DELETE FROM meta WHERE key IN ('start_ms', 'start_time')`) },
  {
    name: 'meta-start-garbage',
    apply: sql(`UPDATE meta SET value = 'yesterday' WHERE key IN ('start_ms', 'start_time')`),
  },
  { name: 'meta-start-huge', apply: sql(`UPDATE meta SET value = '1e300' WHERE key = 'start_ms'`) },
  {
    name: 'meta-start-negative',
    apply: sql(`UPDATE meta SET value = '-99999999999999999' WHERE key = 'start_ms'`),
  },
  { name: 'meta-unit-garbage', apply: sql(`UPDATE meta SET value = 'parsecs' WHERE key = 'unit'`) },
  {
    name: 'meta-proto',
    readable: true,
    apply: sql(
      `INSERT INTO meta (key, value) VALUES ('__proto__', '{"polluted":1}'), ('constructor', 'x')`,
    ),
  },
  { name: 'meta-nulls', apply: loosened('meta', `UPDATE meta SET value = NULL`) },
  {
    name: 'meta-escapes',
    readable: true,
    apply: (db) =>
      db
        .prepare(
          "UPDATE meta SET value = ? WHERE key IN ('host', 'os', 'kernel', 'tracer', 'preset', 'end_reason')",
        )
        .run(`${ESC}]0;owned${ESC}\\${ESC}[31mred\r\u009b2J`),
  },
  {
    name: 'meta-format-version-garbage',
    readable: true,
    apply: sql(`UPDATE meta SET value = 'v1' WHERE key = 'format_version'`),
  },
  // health and rollup state
  {
    name: 'health-garbage',
    apply: loosened(
      'health',
      `INSERT INTO health (t, kind, count, message) VALUES (9000000000, 'bogus', 'x', NULL)`,
    ),
  },
  {
    name: 'health-escapes',
    readable: true,
    apply: (db) =>
      db
        .prepare("INSERT INTO health (t, kind, count, message) VALUES (3, 'error', 1, ?)")
        .run(`${ESC}[2J${ESC}]0;owned\u0007`),
  },
  {
    name: 'rollup-state-garbage',
    readable: true,
    apply: sql(
      `UPDATE rollup_state SET through = -1000000000000`,
      `INSERT OR REPLACE INTO rollup_state VALUES (7, 99)`,
    ),
  },
  {
    name: 'rollup-state-huge',
    readable: true,
    apply: sql(`UPDATE rollup_state SET through = 9000000000`),
  },
  {
    name: 'rollup-missing',
    readable: true,
    apply: sql(`DELETE FROM rollup`, `DELETE FROM rollup_state`),
  },
  // tables
  { name: 'table-hist-dropped', apply: sql(`DROP VIEW counts`, `DROP TABLE hist`) },
  { name: 'table-meta-dropped', apply: sql(`DROP TABLE meta`) },
  {
    name: 'table-series-wrong-columns',
    apply: sql(
      `DROP VIEW counts`,
      `ALTER TABLE series RENAME TO series_old`,
      `CREATE TABLE series (id INTEGER PRIMARY KEY, name TEXT)`,
    ),
  },
  // bytes
  { name: 'pages-garbage-middle', apply: bytes(8192, 8192) },
  { name: 'pages-garbage-end', readable: true, apply: bytes(-16384, 16384) },
  { name: 'pages-zeroed-middle', apply: bytes(4096 * 5, 4096 * 4, 0) },
  {
    name: 'truncated-half',
    apply: (_db, path) => truncateSync(path, Math.floor(statSync(path).size / 2 / 4096) * 4096),
  },
  { name: 'header-page-count-garbage', apply: bytes(28, 4, 0x7f) },
];

/** Writes one mutant of `good` per mutation into `dir`; returns name -> path. */
export function writeMalformedRecordings(
  good: string,
  dir: string,
  mutations = MUTATIONS,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of mutations) {
    const path = join(dir, `${m.name}.db`);
    copyFileSync(good, path);
    const db = new Database(path);
    db.unsafeMode(true);
    db.pragma('foreign_keys = OFF');
    db.pragma('legacy_alter_table = ON');
    db.pragma('ignore_check_constraints = ON');
    const isBytes =
      m.name.startsWith('pages-') || m.name.startsWith('truncated') || m.name.startsWith('header-');
    try {
      if (!isBytes) m.apply(db, path);
    } finally {
      db.close();
    }
    if (isBytes) m.apply(db, path);
    out.set(m.name, path);
  }
  return out;
}

/** Each table's key columns, to pick one row of it (several tables have no rowid). */
const ROW_KEYS: Record<string, { key: string; columns: string[] }> = {
  meta: { key: 'key', columns: ['key', 'value'] },
  series: { key: 'id', columns: ['id', 'aggregation', 'key', 'key_json', 'scheme'] },
  bucket: { key: 'id', columns: ['id', 'lo', 'hi'] },
  second: { key: 't', columns: ['t', 'wall_ms', 'events', 'partial', 'tick_ns'] },
  hist: { key: 't, series_id', columns: ['t', 'series_id', 'counts'] },
  health: { key: 'id', columns: ['t', 'kind', 'count', 'message'] },
  rollup: { key: 'level, t, series_id', columns: ['level', 't', 'series_id', 'counts'] },
  rollup_state: { key: 'level', columns: ['level', 'through'] },
};

/** One random change: a value written into one cell, or bytes overwritten in the file. */
export type RandomMutation =
  | { kind: 'cell'; table: string; column: string; row: number; value: unknown }
  | { kind: 'bytes'; at: number[]; fill: number };

const INT64 = 2n ** 63n;

/** Values that break assumptions: NULL, huge and negative numbers, reals, JSON of every shape, escapes, blobs. */
export const hostileValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.bigInt({ min: -INT64, max: INT64 - 1n }),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.json({ maxDepth: 2 }),
  fc.constantFrom(
    '{"1":',
    '[]',
    '{"__proto__":1}',
    '{"1":18446744073709551616}',
    '{"1":-3}',
    '9000000000',
    '-1',
    '\u001b[2J',
    'x'.repeat(70_000),
  ),
  fc.uint8Array({ maxLength: 16 }),
);

export const randomMutation: fc.Arbitrary<RandomMutation> = fc.oneof(
  fc.constantFrom(...Object.entries(ROW_KEYS)).chain(([table, { columns }]) =>
    fc.record({
      kind: fc.constant('cell' as const),
      table: fc.constant(table),
      column: fc.constantFrom(...columns),
      row: fc.nat({ max: 200 }),
      value: hostileValue,
    }),
  ),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    fill: fc.integer({ min: 0, max: 255 }),
  }),
);

/** Writes `good` with the mutations applied to `path`. A change the schema refuses (NOT NULL, UNIQUE) is left out. */
export function writeRandomMutant(good: string, path: string, mutations: RandomMutation[]): void {
  copyFileSync(good, path);
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  db.pragma('ignore_check_constraints = ON');
  for (const m of mutations.filter((x) => x.kind === 'cell')) {
    const { key } = ROW_KEYS[m.table]!;
    const value =
      m.value instanceof Uint8Array
        ? Buffer.from(m.value)
        : typeof m.value === 'object' && m.value !== null
          ? JSON.stringify(m.value)
          : m.value;
    try {
      db.prepare(
        `UPDATE ${m.table} SET ${m.column} = ? WHERE (${key}) IN (SELECT ${key} FROM ${m.table} LIMIT 1 OFFSET ?)`,
      ).run(value, m.row);
    } catch {
      // refused by the schema: a writer could not have made it either
    }
  }
  db.close();
  const size = statSync(path).size;
  for (const m of mutations.filter((x) => x.kind === 'bytes')) {
    const fd = openSync(path, 'r+');
    for (const at of m.at) writeSync(fd, Buffer.from([m.fill]), 0, 1, at % size);
    closeSync(fd);
  }
}
