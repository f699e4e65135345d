// Compare's rules on two real recordings written through the store: A (seconds 0-299: 50 tiny
// and 100 fast events a second) and B (seconds 20-219: 100 fast a second, 5 from second 80 on,
// and 10 slow). Sides pinned and aligned on relative time, their frames and window totals, the
// overlaid histogram, a cell under the pointer and the legend's limit, all exact.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRecording } from '../../../viewer/src/load/open-recording.js';
import { sqlEngine } from '../../../viewer/src/load/sql-engine.js';
import {
  pinnedSide,
  sideB,
  sideFrame,
  windowTotals,
  type CompareSide,
} from '../../../viewer/src/model/compare-sides.js';
import {
  compareHistogram,
  diffCell,
  limitLabel,
} from '../../../viewer/src/model/compare-summary.js';
import { commonAxis, diffFrames } from '../../../viewer/src/model/diff-model.js';
import { ALL_KEYS, isolate } from '../../../viewer/src/model/key-selection.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { formatBucketBounds } from '../../../viewer/src/model/value-format.js';
import { hist, snapshot, writeRecording } from '../../helpers/recordings.js';
import { REPO_ROOT } from '../helpers/recordings.js';

let dir: string;
let a: Recording;
let b: Recording;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'viewer-compare-sides-'));
  writeRecording(
    join(dir, 'a.db'),
    Array.from({ length: 300 }, (_, t) =>
      snapshot(t, [
        hist(
          ['read'],
          [
            [8, 15, 50],
            [64, 127, 100],
          ],
        ),
      ]),
    ),
  );
  writeRecording(
    join(dir, 'b.db'),
    Array.from({ length: 200 }, (_, i) =>
      snapshot(i + 20, [
        hist(
          ['read'],
          [
            [64, 127, i + 20 >= 80 ? 5 : 100],
            [1024, 2047, 10],
          ],
        ),
      ]),
    ),
  );
  const engine = await sqlEngine({
    bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
  a = await openRecording(readFileSync(join(dir, 'a.db')), 'a.db', engine);
  b = await openRecording(readFileSync(join(dir, 'b.db')), 'b.db', engine);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A's side [50, 80) and B's at the same offset into its recording: [70, 100). */
function sides(): [CompareSide, CompareSide] {
  const sideA = pinnedSide({
    recording: a,
    selection: ALL_KEYS,
    window: { start: 49.6, end: 80.2 },
  });
  return [
    sideA,
    sideB(sideA, { recording: a, selection: ALL_KEYS, window: { start: 0, end: 1 } }, b),
  ];
}

describe('the sides', () => {
  it('pins whole seconds of the view, at least one, with the keys shown', () => {
    const keys = isolate([a.seriesIds[0]!], a.seriesIds);
    expect(
      pinnedSide({ recording: a, selection: keys, window: { start: 49.6, end: 80.2 } }),
    ).toEqual({ recording: a, selection: keys, from: 50, to: 80 });
    expect(
      pinnedSide({ recording: a, selection: keys, window: { start: 10.2, end: 10.4 } }),
    ).toMatchObject({ from: 10, to: 11 });
  });

  it('takes B as long as A: from the map view, or in another recording as far into it as A is', () => {
    const [sideA, other] = sides();
    expect(other).toEqual({ recording: b, selection: ALL_KEYS, from: 70, to: 100 });
    const view = { recording: a, selection: ALL_KEYS, window: { start: 120.4, end: 500 } };
    expect(sideB(sideA, view, null)).toEqual({
      recording: a,
      selection: ALL_KEYS,
      from: 120,
      to: 150,
    });
  });

  it('sums each side’s window per bucket, and cuts it into frames of the same columns', () => {
    const [sideA, other] = sides();
    expect([...windowTotals(sideA)]).toEqual([1500, 3000]); // [8, 15], [64, 127]
    expect([...windowTotals(other)]).toEqual([10 * 100 + 20 * 5, 300]); // [64, 127], [1024, 2047]
    const frame = sideFrame(other, 30);
    expect(frame.columns).toBe(30);
    expect([frame.from[0], frame.to[29]]).toEqual([70, 100]);
    expect(frame.totals[0]).toBe(110); // second 70: 100 fast, 10 slow
    expect(frame.totals[29]).toBe(15); // second 99: 5 fast, 10 slow
  });
});

describe('what Compare shows', () => {
  it('overlays both windows’ histograms on the common axis, slowest first, widths on a shared log scale', () => {
    const [sideA, other] = sides();
    const common = commonAxis(a.axis, b.axis);
    const rows = compareHistogram(windowTotals(sideA), windowTotals(other), common, 'us');
    const label = (lo: number, hi: number) => formatBucketBounds(lo, hi, 'us');
    const width = (n: number) => Math.max(0.5, (Math.log1p(n) / Math.log1p(3000)) * 100);
    expect(rows.map(({ label, a, b, wa, wb }) => ({ label, a, b, wa, wb }))).toEqual([
      { label: label(1024, 2047), a: 0, b: 300, wa: 0, wb: width(300) },
      { label: label(64, 127), a: 3000, b: 1100, wa: 100, wb: width(1100) },
      { label: label(8, 15), a: 1500, b: 0, wa: width(1500), wb: 0 },
    ]);
  });

  it('gives a cell’s counts on both sides and their difference, and the legend’s limit', () => {
    const [sideA, other] = sides();
    const common = commonAxis(a.axis, b.axis);
    const fast = common.rowsA[1]!;
    for (const mode of ['difference', 'log-ratio'] as const) {
      const diff = diffFrames(sideFrame(sideA, 30), sideFrame(other, 30), common, mode);
      const early = diffCell(diff, 0, [fast], mode); // A second 50, B second 70
      const late = diffCell(diff, 15, [fast], mode); // A second 65, B second 85
      expect([early.a, early.b, late.a, late.b]).toEqual([100, 100, 100, 5]);
      if (mode === 'difference') {
        expect([early.value, late.value]).toEqual([0, -95]);
        expect(limitLabel(diff, mode)).toBe('±95 events'); // 100 fast in A, 5 in B
      } else {
        expect(late.value).toBeCloseTo(Math.log2(6 / 101), 12);
        expect(limitLabel(diff, mode)).toMatch(/^\d+(\.\d+)?× either way$/);
      }
    }
    const empty = diffFrames(sideFrame(sideA, 30), sideFrame(other, 30), common, 'difference');
    expect(Number.isNaN(diffCell(empty, 0, [], 'difference').value)).toBe(true);
  });
});
