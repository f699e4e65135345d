// Completes a recording's rollups inside the sql.js database, once, when it is opened: a file
// without them (an older recording, or rollup tables emptied) or whose recorder stopped before
// writing the last windows (killed, or still recording) gets every level rebuilt from hist from
// the first window not yet written. Also keeps them complete as live seconds are appended.
// Same rows as the recorder writes (schemas/recording.sql): series 0 at every level, one row per
// series from PER_SERIES_ROLLUP_MIN_LEVEL up, counts JSON with bucket ids ascending.

import type { Database } from 'sql.js';
import { ALL_SERIES, PER_SERIES_ROLLUP_MIN_LEVEL, ROLLUP_LEVELS } from '../../../schemas/format.js';
import { countsJson } from '../../../schemas/counts-json.js';
import { heatOf } from '../../../schemas/negative-counts.js';
import { RollupCascade } from '../../../schemas/rollup-cascade.js';
import { parseCountsRows } from './counts-rows.js';

/** Seconds of hist read per query while building: bounded memory and JSON text. */
const READ_SECONDS = 600;

type Sums = Map<number, Map<string, number>>;

/** One series' sums in a window, bucket id -> count, for the format's cascade (schemas/rollup-cascade.ts). */
const BUCKET_SUMS = {
  create: () => new Map<string, number>(),
  fold: (into: Map<string, number>, from: Map<string, number>) =>
    from.forEach((n, id) => into.set(id, (into.get(id) ?? 0) + n)),
};

export interface RollupBuild {
  /** The first second rebuilt (null: the rollups were complete). */
  from: number | null;
  rows: number;
  ms: number;
}

/** Whether every level is complete through `end` (the second after the last). */
export function rollupsComplete(through: ReadonlyMap<number, number>, end: number): boolean {
  return ROLLUP_LEVELS.every((l) => (through.get(l) ?? 0) >= end);
}

/**
 * Rebuilds what is missing so every level is complete through `end` (the second after the last).
 * @param name the file's name, for the message when a hist row is damaged @default 'the recording'
 */
export function completeRollups(
  db: Database,
  through: ReadonlyMap<number, number>,
  end: number,
  name = 'the recording',
): RollupBuild {
  if (rollupsComplete(through, end)) return { from: null, rows: 0, ms: 0 };
  const started = performance.now();
  // Level l is rebuilt from its first window not written; windows before it are summed only to
  // fold into coarser levels, so reading starts at the earliest of them.
  const starts = new Map<number, number>(
    ROLLUP_LEVELS.map((l) => [l, Math.floor(Math.min(through.get(l) ?? 0, end) / l) * l]),
  );
  const from = Math.min(...starts.values());
  let rows = 0;
  db.run('BEGIN');
  try {
    for (const [level, start] of starts)
      db.run('DELETE FROM rollup WHERE level = ? AND t >= ?', [level, start]);
    const insert = db.prepare(
      'INSERT INTO rollup (level, t, series_id, counts) VALUES (?, ?, ?, ?)',
    );
    const windows = new RollupCascade(BUCKET_SUMS, (level, start, sums) => {
      if (start < starts.get(level)!) return;
      for (const [id, counts] of [...sums].sort((a, b) => a[0] - b[0])) {
        const json = sumsJson(counts);
        if (json === '{}') continue; // only negative counts: no heat, no row (as the recorder)
        insert.run([level, start, id, json]);
        rows++;
      }
    });
    for (let a = from; a < end; a += READ_SECONDS) {
      for (const { t, seriesId, counts } of histRows(
        db,
        a,
        Math.min(end, a + READ_SECONDS),
        name,
      )) {
        windows.advanceTo(t);
        for (const sum of windows.sumsFor(t, seriesId)) addCounts(sum, counts);
      }
    }
    windows.flush();
    insert.free();
    for (const level of ROLLUP_LEVELS)
      db.run('INSERT OR REPLACE INTO rollup_state (level, through) VALUES (?, ?)', [level, end]);
    db.run('COMMIT');
  } catch (err) {
    db.run('ROLLBACK');
    throw err;
  }
  return { from, rows, ms: performance.now() - started };
}

/** Adds one appended second (its counts per series) to the window holding it at every level. */
export function addToRollups(
  db: Database,
  t: number,
  series: readonly { seriesId: number; counts: Record<string, number> }[],
): void {
  for (const level of ROLLUP_LEVELS) {
    const sums: Sums = new Map();
    for (const s of series) {
      addInto(sums, ALL_SERIES, s.counts);
      if (level >= PER_SERIES_ROLLUP_MIN_LEVEL) addInto(sums, s.seriesId, s.counts);
    }
    const start = t - (t % level);
    for (const [id, counts] of sums) {
      const old = db.exec('SELECT counts FROM rollup WHERE level = ? AND t = ? AND series_id = ?', [
        level,
        start,
        id,
      ])[0]?.values[0]?.[0];
      if (typeof old === 'string') addCounts(counts, JSON.parse(old) as Record<string, number>);
      const json = sumsJson(counts);
      if (json === '{}') continue; // only negative counts so far: no heat, no row
      db.run('INSERT OR REPLACE INTO rollup (level, t, series_id, counts) VALUES (?, ?, ?, ?)', [
        level,
        start,
        id,
        json,
      ]);
    }
    db.run('INSERT OR REPLACE INTO rollup_state (level, through) VALUES (?, ?)', [level, t + 1]);
  }
}

/** hist rows of seconds [from, to), in time order (one JSON text), checked (counts-rows.ts). */
function histRows(
  db: Database,
  from: number,
  to: number,
  name: string,
): { t: number; seriesId: number; counts: Record<string, number> }[] {
  const inner =
    'SELECT t, series_id, counts FROM hist WHERE t >= ? AND t < ? ORDER BY t, series_id';
  const text = db.exec(
    `SELECT '[' || group_concat('[' || t || ',' || series_id || ',' || counts || ']', ',') || ']' FROM (${inner})`,
    [from, to],
  )[0]?.values[0]?.[0];
  if (typeof text !== 'string') return [];
  return parseCountsRows(
    text,
    name,
    () => (db.exec(inner, [from, to])[0]?.values ?? []) as [unknown, unknown, unknown][],
    () => undefined,
  );
}

function addInto(sums: Sums, seriesId: number, counts: Record<string, number>): void {
  let into = sums.get(seriesId);
  if (!into) sums.set(seriesId, (into = new Map()));
  addCounts(into, counts);
}

/** Adds the heat of counts (schemas/negative-counts.ts: a rollup sums positive counts only). */
function addCounts(into: Map<string, number>, counts: Record<string, number>): void {
  for (const id in counts) into.set(id, (into.get(id) ?? 0) + heatOf(counts[id]!));
}

/** {"<bucket id>": n} with ids ascending and zeros left out, as the recorder writes it. */
function sumsJson(counts: Map<string, number>): string {
  const ids = [...counts.keys()].map(Number).sort((a, b) => a - b);
  return countsJson((add) => ids.forEach((id) => add(id, counts.get(String(id))!)));
}
