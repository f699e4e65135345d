// Which seconds a recording holds, as runs of consecutive seconds: read from the file's second_run
// table (schemas/recording.sql: a week without a gap is one row) when it has one that agrees with
// `second`, else derived from `second` itself (files written before issue 13), which a file read
// in parts must then read whole.

import type { Database, SqlValue } from 'sql.js';
import type { SecondRun } from '../model/recording-source.js';

const HAS_RUN_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'second_run'";
/** `second`'s first and last second: two seeks to the ends of its B-tree (min and max together would scan it). */
const SECOND_ENDS = 'SELECT (SELECT min(t) FROM second), (SELECT max(t) FROM second)';
const STORED_RUNS = 'SELECT first, last FROM second_run ORDER BY first';
/**
 * The seconds that start or end a run (no second before, or none after), in time order: two
 * primary-key seeks per second, several times quicker than a window function over a week. A t
 * that is not a whole number (a damaged file) comes as a run of its own, for the checks to name.
 */
const RUN_ENDS = `SELECT s.t, p.t IS NULL OR odd, n.t IS NULL OR odd FROM
  (SELECT t, typeof(t) <> 'integer' AS odd FROM second) s
  LEFT JOIN second p ON p.t = s.t - 1 LEFT JOIN second n ON n.t = s.t + 1
  WHERE p.t IS NULL OR n.t IS NULL OR odd ORDER BY s.t`;

function rows(db: Database, sql: string): SqlValue[][] {
  return db.exec(sql)[0]?.values ?? [];
}

const toRun = ([first, last]: SqlValue[]): SecondRun => ({
  first: first as number,
  last: last as number,
});

function hasRunTable(db: Database): boolean {
  return rows(db, HAS_RUN_TABLE).length > 0;
}

/**
 * The runs of recorded seconds in time order (values unchecked: checkRecordingInfo bounds them).
 * The stored runs are trusted when they start and end where `second` does (the trigger keeps them
 * whole; a file whose seconds were added without it gets its runs derived).
 */
export function readSecondRuns(db: Database): SecondRun[] {
  if (hasRunTable(db)) {
    const stored = rows(db, STORED_RUNS).map(toRun);
    const [first = null, last = null] = rows(db, SECOND_ENDS)[0] ?? [];
    if (
      stored.length === 0
        ? first === null
        : stored[0]!.first === first && stored.at(-1)!.last === last
    )
      return stored;
  }
  return derivedRuns(db);
}

/** The runs as `second` holds them (a file without second_run). */
function derivedRuns(db: Database): SecondRun[] {
  const runs: SecondRun[] = [];
  let first = 0;
  for (const [t, starts, ends] of rows(db, RUN_ENDS) as [number, number, number][]) {
    if (starts) first = t;
    if (ends) runs.push({ first, last: t });
  }
  return runs;
}

/**
 * Reads the pages readSecondRuns needs without building anything (for a file read in parts):
 * the run table and the two ends of `second`, or all of `second` in a file without runs.
 */
export function touchSecondRuns(db: Database): void {
  if (!hasRunTable(db)) rows(db, 'SELECT count(*) FROM second');
  else {
    rows(db, 'SELECT count(*) FROM second_run');
    rows(db, SECOND_ENDS);
  }
}
