import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRecording } from '../../../viewer/src/load/open-recording.js';
import { sqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { AxisLayout } from '../../../viewer/src/model/axis-layout.js';
import { cellInfo } from '../../../viewer/src/model/cell-info.js';
import { buildColumnFrame } from '../../../viewer/src/model/column-frame.js';
import { ALL_KEYS } from '../../../viewer/src/model/key-selection.js';
import { summarizeRange } from '../../../viewer/src/model/range-summary.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { second, writeRecording } from '../../helpers/recordings.js';
import { REPO_ROOT } from '../helpers/recordings.js';

// Buckets by log2 exponent k: 3 = [8, 15], 5 = [32, 63], 7 = [128, 255], 10 = [1024, 2047].
let rec: Recording;

beforeAll(async () => {
  const engine = await sqlEngine({
    bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
  const file = join(mkdtempSync(join(tmpdir(), 'viewer-range-')), 'range.db');
  writeRecording(file, [
    second(0, { a: { 3: 10, 5: 1 }, b: { 3: 5 } }),
    second(1, { a: { 3: 4 }, b: { 7: 1 } }),
    second(2, { b: { 3: 1, 10: 2 } }),
  ]);
  rec = await openRecording(readFileSync(file), 'range.db', engine);
});

const bounds = (row: number) => [rec.axis.rows[row]!.lo, rec.axis.rows[row]!.hi];

describe('summarizeRange', () => {
  it('merges the keys over the range: total, nearest-rank percentiles, max and per-key shares', () => {
    const s = summarizeRange(rec, { from: 0, to: 3, rows: null }, rec.seriesIds);
    expect(s.total).toBe(24);
    expect(s.percentiles.map((p) => [p.p, ...bounds(p.row)])).toEqual([
      [50, 8, 15], // rank 12
      [90, 128, 255], // rank 22: 20 in [8, 15], 1 in [32, 63], then this one
      [99, 1024, 2047], // rank 24
      [99.9, 1024, 2047],
    ]);
    expect(bounds(s.maxRow)).toEqual([1024, 2047]);
    expect(s.keys.map((k) => [k.key, k.total, ...bounds(k.p99Row)])).toEqual([
      ['a', 15, 32, 63],
      ['b', 9, 1024, 2047],
    ]);
  });

  it('keeps only the rows of a latency band, and only the selected keys', () => {
    const band = [
      rec.axis.rows.findIndex((b) => b.lo === 8),
      rec.axis.rows.findIndex((b) => b.lo === 32),
    ];
    expect(summarizeRange(rec, { from: 0, to: 3, rows: band }, rec.seriesIds).total).toBe(21);
    const onlyB = summarizeRange(rec, { from: 1, to: 3, rows: null }, [2]);
    expect([onlyB.total, onlyB.keys.map((k) => k.key)]).toEqual([4, ['b']]);
  });
});

describe('cellInfo', () => {
  it('gives the count, share and top keys of the cell under the pointer', () => {
    const layout = new AxisLayout(rec.axis, { scale: 'log', height: 120 });
    const frame = buildColumnFrame(rec.grid(ALL_KEYS), 0, 3, 3);
    const row = rec.axis.rows.findIndex((b) => b.lo === 8);
    const run = layout.runs.findIndex((r) => r.rows.includes(row));
    const info = cellInfo(rec, frame, layout, 0, run, rec.seriesIds)!;
    expect(info).toMatchObject({
      from: 0,
      to: 1,
      rows: [row],
      count: 15,
      columnTotal: 16,
      share: 15 / 16,
    });
    expect(info.topKeys).toEqual([
      { id: 1, key: 'a', count: 10 },
      { id: 2, key: 'b', count: 5 },
    ]);
    expect(cellInfo(rec, frame, layout, 5, run, rec.seriesIds)).toBeNull();
  });
});
