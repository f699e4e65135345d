// The recording's marks (schemas/recording.sql's mark table, rules in schemas/marks.ts), read by
// sql.js at open, and written into an open recording when the viewer adds one. A file made before
// the mark table has none; a row that breaks the rules is left out (a mark is a note, not data).

import type { Database, SqlValue } from 'sql.js';
import { markProblem, markTableSql, type Mark, type NewMark } from '../../../schemas/marks.js';
import recordingSql from '../../../schemas/recording.sql?raw';

const MARK_COLUMNS = 'id, t_ms, end_ms, text, created_ms, source';

/** Whether the file has the mark table (added in format 1 for issue 13; older files lack it). */
function hasMarkTable(db: Database): boolean {
  return db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'mark'").length > 0;
}

/** Every well-formed mark, in time order; [] for a file without the table. */
export function readMarks(db: Database): Mark[] {
  if (!hasMarkTable(db)) return [];
  const rows = db.exec(`SELECT ${MARK_COLUMNS} FROM mark ORDER BY t_ms, id`)[0]?.values ?? [];
  return rows.map(toMark).filter((m): m is Mark => m !== null);
}

function toMark([id, tMs, endMs, text, createdMs, source]: SqlValue[]): Mark | null {
  if (typeof text !== 'string' || typeof source !== 'string') return null;
  const mark = {
    id: Number(id),
    atMs: Number(tMs),
    endMs: endMs === null ? null : Number(endMs),
    text,
    createdMs: Number(createdMs),
    source,
  };
  return Number.isSafeInteger(mark.id) && markProblem(mark) === null ? mark : null;
}

/** Adds a mark to the open database (and the table, to a file made before it); returns it with its id. */
export function insertMark(db: Database, mark: NewMark): Mark {
  const problem = markProblem(mark);
  if (problem) throw new Error(problem);
  db.run(markTableSql(recordingSql));
  db.run('INSERT INTO mark (t_ms, end_ms, text, created_ms, source) VALUES (?, ?, ?, ?, ?)', [
    mark.atMs,
    mark.endMs,
    mark.text,
    mark.createdMs,
    mark.source,
  ]);
  const id = Number(db.exec('SELECT last_insert_rowid()')[0]!.values[0]![0]);
  return { id, ...mark };
}
