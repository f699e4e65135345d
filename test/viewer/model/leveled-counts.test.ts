// Frames drawn from rollup levels hold exactly the counts of the seconds they say they show
// (whole windows), checked against the per-second grid built from hist; detail too large to read
// inside a frame comes from a coarser level first and is read in the background.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRecording } from '../../../viewer/src/load/open-recording.js';
import { sqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { buildColumnFrame, type ColumnGrid } from '../../../viewer/src/model/column-frame.js';
import {
  ALL_KEYS,
  exclude,
  isolate,
  type KeySelection,
} from '../../../viewer/src/model/key-selection.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { writeSyntheticRecording } from '../../helpers/recordings.js';
import { useTempDir } from '../../helpers/temp-dir.js';
import { REPO_ROOT } from '../helpers/recordings.js';

const SECONDS = 7300;
const tmp = useTempDir('heat-leveled-');
let rec: Recording;

beforeAll(async () => {
  const engine = await sqlEngine({
    bytes: readFileSync(`${REPO_ROOT}/node_modules/sql.js/dist/sql-wasm.wasm`),
  });
  writeSyntheticRecording(tmp('run.db'), SECONDS, { keys: 4, seed: 2 });
  rec = await openRecording(readFileSync(tmp('run.db')), 'run.db', engine);
});

const levelOf = (g: ColumnGrid) => (g as unknown as { level: number }).level;

/** Every column of a frame equals the per-second grid summed over the column's seconds. */
function expectExactFrame(sel: KeySelection, start: number, end: number, columns: number): number {
  const grid = rec.counts(sel).gridFor(start, end, columns);
  const frame = buildColumnFrame(grid, start, end, columns);
  const truth = rec.grid(sel);
  const expected = new Float64Array(frame.rows);
  for (let c = 0; c < columns; c++) {
    truth.sumInto(frame.from[c]!, frame.to[c]!, expected);
    expect(
      [...frame.counts.subarray(c * frame.rows, (c + 1) * frame.rows)],
      `column ${c} [${frame.from[c]}, ${frame.to[c]})`,
    ).toEqual([...expected]);
    expect(frame.totals[c]).toBe(truth.total(frame.from[c]!, frame.to[c]!));
  }
  return levelOf(grid);
}

describe('frames drawn from rollup levels', () => {
  it('read the level matching the columns and show whole windows, exactly', () => {
    expect(expectExactFrame(ALL_KEYS, 0, SECONDS, 146)).toBe(60);
    expect(expectExactFrame(ALL_KEYS, 0, SECONDS, 1000)).toBe(10);
    expect(expectExactFrame(ALL_KEYS, 3000, 3600, 600)).toBe(1);
    // Columns of 50 s, cells of one 60 s window each: a window is shown once or twice, never summed with another.
    const frame = buildColumnFrame(rec.counts(ALL_KEYS).gridFor(0, SECONDS, 146), 0, SECONDS, 146);
    expect([
      frame.from[0],
      frame.to[0],
      frame.from[1],
      frame.to[1],
      frame.from[3],
      frame.to[3],
      frame.from[145],
      frame.to[145],
    ]).toEqual([0, 60, 60, 120, 120, 180, 7260, SECONDS]);
    const shown = new Set(frame.from);
    expect(Array.from({ length: 122 }, (_, i) => i * 60).filter((t) => !shown.has(t))).toEqual([]);
  });

  it('read per-key rollups for a key selection, and hist when zoomed in', () => {
    expect(expectExactFrame(isolate([2], rec.seriesIds), 0, SECONDS, 146)).toBe(60);
    expect(expectExactFrame(isolate([2], rec.seriesIds), 0, SECONDS, 8)).toBe(600);
    // Three keys of four: all keys minus the fourth, per window and per second.
    expect(expectExactFrame(exclude(ALL_KEYS, [4], rec.seriesIds), 0, SECONDS, 146)).toBe(60);
    expect(expectExactFrame(exclude(ALL_KEYS, [4], rec.seriesIds), 500, 700, 200)).toBe(1);
    expect(expectExactFrame(isolate([3], rec.seriesIds), 100, 400, 300)).toBe(1);
  });

  it('show in each column the group of whole windows holding its middle, the last one to the end', () => {
    const grid = rec.counts(ALL_KEYS).gridFor(0, SECONDS, 73); // 100 s per column: minute windows in pairs
    expect(levelOf(grid)).toBe(60);
    expect(grid.cover!(0, 100)).toEqual([0, 120]);
    expect(grid.cover!(100, 200)).toEqual([120, 240]);
    expect(grid.cover!(200, 300)).toEqual([240, 360]);
    expect(grid.cover!(7100, 7200)).toEqual([7080, 7200]);
    expect(grid.cover!(7200, 7300)).toEqual([7200, SECONDS]);
  });

  it('draw from a coarser level while detail is read in the background, then from the detail', async () => {
    const counts = rec.counts(isolate([1, 2], rec.seriesIds));
    expect(levelOf(counts.gridFor(0, SECONDS, 146))).toBe(60); // minute windows in hand
    let redraws = 0;
    counts.detailRead.subscribe(() => redraws++);
    const first = counts.gridFor(0, SECONDS, SECONDS); // one second per column: 2 x 7300 hist rows
    expect(levelOf(first)).toBe(60);
    await expect.poll(() => redraws, { timeout: 20_000 }).toBe(8); // 8 chunks of 1024 seconds, one redraw each
    expect(levelOf(counts.gridFor(0, SECONDS, SECONDS))).toBe(1);
    expect(expectExactFrame(isolate([1, 2], rec.seriesIds), 0, SECONDS, SECONDS)).toBe(1);
  });

  it('take in live seconds at every level: rollups kept complete, windows holding them read again', () => {
    const all = rec.counts(ALL_KEYS);
    const one = rec.counts(isolate([2], rec.seriesIds));
    for (const counts of [all, one])
      for (const columns of [1, 8, 140, 1000]) counts.gridFor(0, SECONDS, columns);
    const bucket = rec.axis.rows.find((b) => b.lo !== null && b.hi !== null)!.id;
    // Seconds 7300..7319 (a new 10 s window, a 60 s window already begun), then 7400 after a gap.
    for (const t of [...Array.from({ length: 20 }, (_, i) => SECONDS + i), SECONDS + 100]) {
      rec.appendSecond({
        t,
        wallMs: t * 1000,
        partial: false,
        series: [
          { seriesId: 2, counts: { [bucket]: 1000 + t } },
          { seriesId: 3, counts: { [bucket]: 7 } },
        ],
      });
    }
    const end = SECONDS + 101;
    expect(rec.end).toBe(end);
    expect(expectExactFrame(ALL_KEYS, 0, end, 1)).toBe(3600);
    expect(expectExactFrame(ALL_KEYS, 0, end, 8)).toBe(600);
    expect(expectExactFrame(ALL_KEYS, 0, end, 140)).toBe(60);
    expect(expectExactFrame(ALL_KEYS, 7000, end, 45)).toBe(10);
    expect(expectExactFrame(ALL_KEYS, 7200, end, 201)).toBe(1);
    expect(expectExactFrame(isolate([2], rec.seriesIds), 0, end, 140)).toBe(60);
    expect(expectExactFrame(isolate([2], rec.seriesIds), 7250, end, 151)).toBe(1);
    expect(rec.grid(ALL_KEYS).total(SECONDS, end)).toBe(
      21 * 7 +
        20 * 1000 +
        [...Array(20).keys()].reduce((n, i) => n + SECONDS + i, 0) +
        1000 +
        SECONDS +
        100,
    );
  });
});
