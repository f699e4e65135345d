// The mark table (schemas/recording.sql, rules in schemas/marks.ts): typed reads, and writes from
// a second connection while heat-record still writes the file. SQLite's WAL lets that connection
// write between two of the recorder's one-second transactions; a busy timeout makes it wait for
// the one in progress instead of failing.

import { statSync } from 'node:fs';
import {
  markProblem,
  markTableSql,
  MAX_MARK_CHARS,
  MAX_MARK_SOURCE_CHARS,
  type Mark,
  type NewMark,
} from '../../schemas/marks.js';
import { HeatError } from '../model/heat-error.js';
import { Damage, intOrNull, smallInt, text } from './row-checks.js';
import { openDatabase, recordingSchema, type Db } from './sqlite.js';
import { isBeingCompacted } from './compact-recording.js';
import { translateWriteError } from './write-errors.js';

/** How long a mark waits for the recorder's transaction in progress (one second's commit, a checkpoint). */
const BUSY_TIMEOUT_MS = 10_000;

/** How long a mark waits for a finishing recorder's compacted copy (a day-long recording takes seconds). */
const COMPACTION_WAIT_MS = 60_000;

/** Whether a file has the mark table (files written before it was added have none: no marks). */
export function hasMarkTable(db: Db): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'mark'").get() !==
    undefined
  );
}

/** Every mark in time order, each checked against schemas/marks.ts (Damage says what is wrong). */
export function readMarkRows(db: Db): Mark[] {
  if (!hasMarkTable(db)) return [];
  const rows = db
    .prepare('SELECT id, t_ms, end_ms, text, created_ms, source FROM mark ORDER BY t_ms, id')
    .safeIntegers(true)
    .all() as Record<string, unknown>[];
  return rows.map(checkMarkRow);
}

/** The marks with an id above `afterId`, in id order (what a live tail has not seen yet). */
export function readMarksAfter(db: Db, afterId: number): Mark[] {
  if (!hasMarkTable(db)) return [];
  const rows = db
    .prepare('SELECT id, t_ms, end_ms, text, created_ms, source FROM mark WHERE id > ? ORDER BY id')
    .safeIntegers(true)
    .all(afterId) as Record<string, unknown>[];
  return rows.map(checkMarkRow);
}

function checkMarkRow(r: Record<string, unknown>): Mark {
  const id = smallInt(r.id, 'a mark id', 1);
  const what = `mark ${id}`;
  const mark = {
    id,
    atMs: smallInt(r.t_ms, `${what}'s t_ms`),
    endMs: nullableNumber(intOrNull(r.end_ms, `${what}'s end_ms`)),
    text: text(r.text, `${what}'s text`, MAX_MARK_CHARS),
    createdMs: smallInt(r.created_ms, `${what}'s created_ms`),
    source: text(r.source, `${what}'s source`, MAX_MARK_SOURCE_CHARS),
  };
  const problem = markProblem(mark);
  if (problem) throw new Damage(`${what}: ${problem}`);
  return mark;
}

function nullableNumber(n: bigint | null): number | null {
  return n === null ? null : Number(n);
}

/** Inserts marks into an open recording, adding the table to a file written before it existed. */
export function insertMarks(db: Db, marks: readonly NewMark[]): number[] {
  for (const m of marks) checkNewMark(m);
  db.exec(markTableSql(recordingSchema()));
  const insert = db.prepare(
    'INSERT INTO mark (t_ms, end_ms, text, created_ms, source) VALUES (?, ?, ?, ?, ?)',
  );
  return marks.map((m) =>
    Number(insert.run(m.atMs, m.endMs, m.text, m.createdMs, m.source).lastInsertRowid),
  );
}

/** A HeatError (one line) for a mark that breaks schemas/marks.ts. */
export function checkNewMark(m: NewMark): void {
  const problem = markProblem(m);
  if (problem)
    throw new HeatError(
      problem,
      `one line of at most ${MAX_MARK_CHARS} characters, e.g. "deploy v2"`,
    );
}

/**
 * Adds one mark to the recording at `path` from a connection of its own: works while another
 * heat-record writes the file (WAL) and on a finished one. Returns the mark's id.
 * A recorder that finishes meanwhile renames a compacted copy over the file (compact-recording.ts).
 * A mark committed while the copy is written waited for the copy's read to end (rollback journal:
 * its shared lock) and so is not in it: once the copy is in place, the mark is written again into
 * the new file (unless the copy already holds it).
 */
export function addMark(path: string, mark: NewMark): number {
  checkNewMark(mark);
  for (let attempt = 0; ; attempt++) {
    const before = inode(path);
    const id = insertOnce(path, mark);
    waitForCompaction(path);
    if (inode(path) === before || attempt === 3) return id;
  }
}

/** Waits (at most COMPACTION_WAIT_MS) while a finishing recorder writes the compacted copy of `path`. */
function waitForCompaction(path: string): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let waited = 0; isBeingCompacted(path) && waited < COMPACTION_WAIT_MS; waited += 50)
    Atomics.wait(pause, 0, 0, 50);
}

function inode(path: string): number {
  try {
    return statSync(path).ino;
  } catch {
    return -1;
  }
}

/** Inserts the mark unless the file already holds it (same time, text and creation time: a retry). */
function insertOnce(path: string, mark: NewMark): number {
  let db: Db | null = null;
  try {
    db = openDatabase(path);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const inTransaction = db.transaction(
      () => existingMark(db!, mark) ?? insertMarks(db!, [mark])[0]!,
    );
    return inTransaction.immediate();
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_BUSY')
      throw new HeatError(
        `${path} stayed locked for ${BUSY_TIMEOUT_MS / 1000} s`,
        'another process holds it; try again',
      );
    throw translateWriteError(err, path);
  } finally {
    db?.close();
  }
}

function existingMark(db: Db, m: NewMark): number | null {
  if (!hasMarkTable(db)) return null;
  const row = db
    .prepare('SELECT id FROM mark WHERE t_ms = ? AND end_ms IS ? AND text = ? AND created_ms = ?')
    .get(m.atMs, m.endMs, m.text, m.createdMs) as { id: number } | undefined;
  return row?.id ?? null;
}
