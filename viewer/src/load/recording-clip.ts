// A window of a recording as a recording of its own, made inside sql.js: the same schema and
// metadata, the seconds [from, to) renumbered from 0 (start_ms moved to match, as
// `heat-record clip` does), only the keys and buckets they use, their health, their stacks, and rollups
// rebuilt for the new numbering. The source is attached by its in-memory file name and copied
// with INSERT ... SELECT, so a long window never passes through JavaScript row by row.

import type { Database } from 'sql.js';
import { derivedStatus } from '../../../schemas/format.js';
import recordingSql from '../../../schemas/recording.sql?raw';
import type { ClipNote } from '../model/recording-source.js';
import type { NewMark } from '../../../schemas/marks.js';
import { insertMark } from './recording-marks.js';
import { completeRollups } from './rollup-build.js';
import { sqlEngine } from './sql-engine.js';

/**
 * The clip's bytes, or null when no second of [from, to) was recorded.
 * @param run runs the copy (again, for a source read in parts, until every part it reads is in hand)
 */
export async function clipDatabase(
  src: Database,
  from: number,
  to: number,
  note: ClipNote,
  run: (copy: () => Uint8Array | null) => Promise<Uint8Array | null> = async (copy) => copy(),
): Promise<Uint8Array | null> {
  const engine = await sqlEngine();
  return run(() => {
    const out = new engine.Database();
    try {
      out.run(recordingSql);
      out.run('ATTACH DATABASE ? AS src', [
        `/${(src as unknown as { filename: string }).filename}`,
      ]);
      const n = copySeconds(out, from, to);
      if (n === null) return null;
      copyMeta(out, from, to, note);
      copyMarks(out, from, to, note.marks ?? []);
      out.run('DETACH DATABASE src');
      completeRollups(out, new Map(), n);
      return out.export();
    } finally {
      out.close();
    }
  });
}

/** Copies seconds, counts, health, keys and buckets; returns the clip's end (last t + 1). */
function copySeconds(out: Database, from: number, to: number): number | null {
  const window = [from, to];
  out.run('BEGIN');
  out.run(
    'INSERT INTO second (t, wall_ms, events, partial, tick_ns) SELECT t - ?, wall_ms, events, partial, tick_ns FROM src.second WHERE t >= ? AND t < ?',
    [from, ...window],
  );
  out.run(
    'INSERT INTO hist (t, series_id, counts) SELECT t - ?, series_id, counts FROM src.hist WHERE t >= ? AND t < ? ORDER BY t, series_id',
    [from, ...window],
  );
  out.run(
    'INSERT INTO health (t, kind, count, message) SELECT t - ?, kind, count, message FROM src.health WHERE t >= ? AND t < ? ORDER BY id',
    [from, ...window],
  );
  out.run(
    'INSERT INTO series SELECT * FROM src.series WHERE id IN (SELECT DISTINCT series_id FROM hist)',
  );
  out.run(
    'INSERT INTO bucket SELECT * FROM src.bucket WHERE id IN (SELECT DISTINCT CAST(j.key AS INTEGER) FROM hist h, json_each(h.counts) j)',
  );
  copyStacks(out, from, to);
  out.run('COMMIT');
  const last = out.exec('SELECT max(t) FROM second')[0]?.values[0]?.[0];
  return typeof last === 'number' ? last + 1 : null;
}

/** The window's stack rows and the stacks they name (a file made before the stack tables has none). */
function copyStacks(out: Database, from: number, to: number): void {
  const hasStacks =
    out.exec("SELECT 1 FROM src.sqlite_master WHERE type = 'table' AND name = 'stack_hist'")
      .length > 0;
  if (!hasStacks) return;
  out.run(
    'INSERT INTO stack_hist (t, series_id, stack_id, counts) SELECT t - ?, series_id, stack_id, counts FROM src.stack_hist WHERE t >= ? AND t < ? ORDER BY t, series_id, stack_id',
    [from, from, to],
  );
  out.run(
    'INSERT INTO stack (id, frames) SELECT id, frames FROM src.stack WHERE id IN (SELECT DISTINCT stack_id FROM stack_hist)',
  );
}

/**
 * The source's marks that touch the window (kept at their wall-clock times, as `heat-record clip`
 * keeps them), and the ones added in the viewer. Call after copyMeta: the window is read from start_ms.
 */
function copyMarks(out: Database, from: number, to: number, added: readonly NewMark[]): void {
  const startMs = Number(
    out.exec("SELECT value FROM meta WHERE key = 'start_ms'")[0]?.values[0]?.[0] ?? 0,
  );
  const window = [startMs, startMs + (to - from) * 1000];
  if (
    out.exec("SELECT 1 FROM src.sqlite_master WHERE type = 'table' AND name = 'mark'").length > 0
  ) {
    out.run(
      'INSERT INTO mark (t_ms, end_ms, text, created_ms, source) SELECT t_ms, end_ms, text, created_ms, source FROM src.mark WHERE coalesce(end_ms, t_ms) >= ? AND t_ms < ? ORDER BY id',
      window,
    );
  }
  for (const m of added) insertMark(out, m);
}

/** The source's metadata, with the clip's start and end and where it came from. */
function copyMeta(out: Database, from: number, to: number, note: ClipNote): void {
  out.run('INSERT INTO meta (key, value) SELECT key, value FROM src.meta');
  const meta = new Map(
    (out.exec('SELECT key, value FROM meta')[0]?.values ?? []).map(([k, v]) => [
      String(k),
      String(v),
    ]),
  );
  const startMs = Number(meta.get('start_ms') ?? 0) + from * 1000;
  const endMs = Number(out.exec('SELECT max(wall_ms) FROM second')[0]?.values[0]?.[0] ?? startMs);
  const set = (key: string, value: string) =>
    out.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [key, value]);
  set('start_ms', String(startMs));
  set('start_time', new Date(startMs).toISOString());
  set('end_ms', String(endMs));
  set('end_time', new Date(endMs).toISOString());
  set('end_reason', meta.get('end_reason') || 'clipped');
  set('status', derivedStatus([meta.get('status') ?? '']));
  set(
    'derived_from',
    JSON.stringify({ command: note.command, source: note.source, from, to: to - 1 }),
  );
}
