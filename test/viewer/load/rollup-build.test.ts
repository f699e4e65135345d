// The viewer's one-time rollup build gives exactly the rows the recorder writes: for a file with
// no rollups at all (an older recording), and for one whose recorder stopped before writing its
// last windows (each level `through` a different second). Negative counts (D weights) stay out
// of every rollup, as the recorder leaves them out (schemas/negative-counts.ts).

import Database from 'better-sqlite3';
import { copyFileSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database as SqlJsDatabase } from 'sql.js';
import { importTrace } from '../../../cli/import/import-recording.js';
import { addToRollups, completeRollups } from '../../../viewer/src/load/rollup-build.js';
import { sqlEngine, type SqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { START_MS, writeSyntheticRecording } from '../../helpers/recordings.js';
import { useTempDir } from '../../helpers/temp-dir.js';
import { REPO_ROOT } from '../helpers/recordings.js';

const SECONDS = 3725; // past one whole hour, so every level has a closed window and a cut-short one
const tmp = useTempDir('heat-rollup-build-');
const path = tmp('run.db');
let engine: SqlEngine;

beforeAll(async () => {
  engine = await sqlEngine({
    bytes: readFileSync(`${REPO_ROOT}/node_modules/sql.js/dist/sql-wasm.wasm`),
  });
  writeSyntheticRecording(path, SECONDS, { keys: 3, seed: 4 });
});

type Row = [number, number, number, Record<string, number>];

/** level, t, series and the counts object (compared by content, not by the order of its keys). */
const row = ([level, t, series, counts]: unknown[]): Row => [
  Number(level),
  Number(t),
  Number(series),
  JSON.parse(String(counts)) as Record<string, number>,
];

function rollupRows(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  const rows = (
    db
      .prepare('SELECT level, t, series_id, counts FROM rollup ORDER BY level, t, series_id')
      .raw()
      .all() as unknown[][]
  ).map(row);
  db.close();
  return rows;
}

function sqlJsRows(db: SqlJsDatabase): { rows: Row[]; state: [number, number][] } {
  return {
    rows: (
      db.exec('SELECT level, t, series_id, counts FROM rollup ORDER BY level, t, series_id')[0]
        ?.values ?? []
    ).map(row),
    state: (db.exec('SELECT level, through FROM rollup_state ORDER BY level')[0]?.values ?? []) as [
      number,
      number,
    ][],
  };
}

/** A copy of the recording changed by `sql`, opened in sql.js. */
function openChanged(name: string, sql: string): SqlJsDatabase {
  const copy = tmp(name);
  copyFileSync(path, copy);
  const db = new Database(copy);
  db.exec(sql);
  db.close();
  return new engine.Database(readFileSync(copy));
}

describe('completing rollups in the viewer', () => {
  const expected = () => rollupRows(path);
  const complete: [number, number][] = [1, 10, 60, 600, 3600].map((l) => [l, SECONDS]);

  it('builds every row of a recording without rollups, as the recorder wrote them', () => {
    const db = openChanged('none.db', 'DELETE FROM rollup; DELETE FROM rollup_state;');
    const build = completeRollups(db, new Map(), SECONDS);
    expect(build.from).toBe(0);
    expect(build.rows).toBe(expected().length);
    expect(sqlJsRows(db)).toEqual({ rows: expected(), state: complete });
    db.close();
  });

  it('rebuilds only the windows a stopped recorder had not written', () => {
    const cut = 1234;
    const sql = [1, 10, 60, 600, 3600]
      .map((l) => {
        const through = Math.floor(cut / l) * l;
        return `DELETE FROM rollup WHERE level = ${l} AND t >= ${through}; UPDATE rollup_state SET through = ${through} WHERE level = ${l};`;
      })
      .join('\n');
    const db = openChanged('behind.db', sql);
    const through = new Map(
      db.exec('SELECT level, through FROM rollup_state')[0]!.values as [number, number][],
    );
    expect(through.get(3600)).toBe(0);
    expect(through.get(60)).toBe(1200);
    const build = completeRollups(db, through, SECONDS);
    expect(build.from).toBe(0);
    expect(sqlJsRows(db)).toEqual({ rows: expected(), state: complete });
    db.close();
  });

  it('does nothing when every level is complete', () => {
    const db = new engine.Database(readFileSync(path));
    expect(completeRollups(db, new Map(complete), SECONDS)).toEqual({ from: null, rows: 0, ms: 0 });
    db.close();
  });
});

describe('negative counts (D weights) in the rollups the viewer builds', () => {
  // dtrace-utils' tst.lquantrange, a real capture: one second; in bucket >= 10, Hoover -100 and Bush 150.
  const capture = `${REPO_ROOT}/test/fixtures/dtrace-real/dtrace-utils-aggs-tst.lquantrange.txt`;
  const imported = tmp('lquantrange.db');
  beforeAll(() => {
    importTrace(capture, imported, { commandLine: ['test'], startMs: START_MS });
  });
  const open = () => {
    const copy = tmp('lquantrange-none.db');
    copyFileSync(imported, copy);
    const db = new Database(copy);
    db.exec('DELETE FROM rollup; DELETE FROM rollup_state;');
    db.close();
    return new engine.Database(readFileSync(copy));
  };
  const bucketId = (db: SqlJsDatabase, lo: number) =>
    db.exec('SELECT id FROM bucket WHERE lo = ? AND hi IS NULL', [lo])[0]!.values[0]![0] as number;

  it('builds from hist the rows the recorder wrote: the positive counts summed, not netted', () => {
    const db = open();
    completeRollups(db, new Map(), 1);
    expect(sqlJsRows(db).rows).toEqual(rollupRows(imported));
    const top = bucketId(db, 10);
    expect(sqlJsRows(db).rows.find(([l, , s]) => l === 1 && s === 0)![3][top]).toBe(150);
    db.close();
  });

  it("adds a live second's positive counts to its windows and leaves its negative ones in hist", () => {
    const db = open();
    completeRollups(db, new Map(), 1);
    const top = bucketId(db, 10);
    addToRollups(db, 1, [
      { seriesId: 1, counts: { [top]: -7 } },
      { seriesId: 2, counts: { [top]: 4 } },
    ]);
    const at = (level: number, t: number, series: number) =>
      sqlJsRows(db).rows.find(([l, w, s]) => l === level && w === t && s === series)?.[3];
    expect(at(1, 1, 0)).toEqual({ [top]: 4 });
    expect(at(60, 0, 0)![top]).toBe(154);
    expect(at(60, 0, 1)).toBeUndefined(); // Hoover: -100, then -7: no heat, no row
    expect(at(60, 0, 2)![top]).toBe(4); // Nixon
    db.close();
  });
});
