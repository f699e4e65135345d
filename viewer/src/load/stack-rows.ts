// Typed readers of the recording's stacks (schemas/recording.sql: stack, stack_hist), checked
// where they come in: a row that is not what the format says names the file (RecordingError
// 'damaged'), so the flame graph never draws garbage. Rows come back as one JSON text built by
// SQLite, as the counts rows do (sqljs-source.ts): one call into WebAssembly, one JSON.parse.

import type { Database, SqlValue } from 'sql.js';
import { isRecordingSecond, MAX_BUCKET_ID } from '../../../schemas/recording-limits.js';
import type { AppendedSecond, StackHistRow } from '../model/recording-source.js';
import { RecordingError } from './recording-error.js';

/** Stores a live second's stack rows (inside the caller's transaction), so boxes over it find them. */
export function appendStacks(
  db: Database,
  t: number,
  stacks: NonNullable<AppendedSecond['stacks']>,
): void {
  for (const s of stacks.defs)
    db.run('INSERT OR IGNORE INTO stack (id, frames) VALUES (?, ?)', [
      s.id,
      JSON.stringify(s.frames),
    ]);
  for (const r of stacks.rows)
    db.run('INSERT INTO stack_hist (t, series_id, stack_id, counts) VALUES (?, ?, ?, ?)', [
      t,
      r.seriesId,
      r.stackId,
      JSON.stringify(r.counts),
    ]);
}

/** Steps every row of SELECT * FROM stack_hist: the stacks benchmark's baseline. */
export function scanStackHist(db: Database): number {
  const statement = db.prepare('SELECT * FROM stack_hist');
  let n = 0;
  try {
    while (statement.step()) {
      statement.get();
      n++;
    }
  } finally {
    statement.free();
  }
  return n;
}

/** Stack ids per frames query: well under SQLite's limit on bound parameters. */
const IDS_PER_QUERY = 500;

/**
 * stack_hist rows of seconds [from, to), of these series (null: all). The primary key (t,
 * series_id, stack_id) makes this a range scan of the box's seconds only.
 */
export function readStackRows(
  db: Database,
  from: number,
  to: number,
  ids: readonly number[] | null,
  name: string,
): StackHistRow[] {
  const only = ids ? ` AND series_id IN (${ids.map(() => '?').join(', ')})` : '';
  const inner = `SELECT t, series_id, stack_id, counts FROM stack_hist WHERE t >= ? AND t < ?${only}`;
  const sql = `SELECT '[' || group_concat('[' || t || ',' || series_id || ',' || stack_id || ',' || counts || ']', ',') || ']' FROM (${inner})`;
  const text = firstValue(db, sql, [from, to, ...(ids ?? [])]);
  if (typeof text !== 'string') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw damaged(name, `the stack counts of seconds ${from}–${to - 1} are not JSON`);
  }
  return (parsed as unknown[]).map((row) => checkStackRow(row, name));
}

/** The frames (root first) of these stack ids. */
export function readStackFrames(
  db: Database,
  ids: readonly number[],
  name: string,
): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const part = ids.slice(i, i + IDS_PER_QUERY);
    const statement = db.prepare(
      `SELECT id, frames FROM stack WHERE id IN (${part.map(() => '?').join(', ')})`,
    );
    try {
      statement.bind([...part]);
      while (statement.step()) {
        const [id, frames] = statement.get();
        out.set(Number(id), checkFrames(frames ?? null, Number(id), name));
      }
    } finally {
      statement.free();
    }
  }
  return out;
}

function firstValue(db: Database, sql: string, params: SqlValue[]): SqlValue | undefined {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    return statement.step() ? statement.get()[0] : undefined;
  } finally {
    statement.free();
  }
}

function checkStackRow(row: unknown, name: string): StackHistRow {
  if (!Array.isArray(row) || row.length !== 4)
    throw damaged(name, 'a stack counts value breaks out of its row (it is not one JSON object)');
  const [t, seriesId, stackId, counts] = row as unknown[];
  if (!isRecordingSecond(t) || !Number.isSafeInteger(seriesId) || !Number.isSafeInteger(stackId))
    throw damaged(
      name,
      `a stack_hist row has t ${String(t)}, series ${String(seriesId)} and stack ${String(stackId)}`,
    );
  const where = `the stack counts of second ${t}, series ${String(seriesId)}, stack ${String(stackId)}`;
  if (counts === null || typeof counts !== 'object' || Array.isArray(counts))
    throw damaged(name, `${where} are not a JSON object`);
  for (const [id, n] of Object.entries(counts as Record<string, unknown>)) {
    const bucket = Number(id);
    if (!(bucket >= 1 && bucket <= MAX_BUCKET_ID && String(bucket) === id))
      throw damaged(
        name,
        `${where} name bucket ${JSON.stringify(id.slice(0, 20))}, not a bucket id`,
      );
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
      throw damaged(name, `${where} hold ${JSON.stringify(n)} for bucket ${id}, not a count`);
  }
  return {
    t,
    seriesId: seriesId as number,
    stackId: stackId as number,
    counts: counts as Record<string, number>,
  };
}

function checkFrames(value: SqlValue, id: number, name: string): string[] {
  let frames: unknown;
  try {
    frames = JSON.parse(String(value));
  } catch {
    frames = null;
  }
  if (!Array.isArray(frames) || !frames.every((f) => typeof f === 'string'))
    throw damaged(name, `the frames of stack ${id} are not a JSON list of names`);
  return frames as string[];
}

function damaged(name: string, reason: string): RecordingError {
  return new RecordingError(name, 'damaged', `the file is damaged: ${reason}`);
}
