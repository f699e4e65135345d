import { describe, expect, it } from 'vitest';
import { BucketAxis } from '../../../viewer/src/model/bucket-axis.js';
import type { ColumnFrame } from '../../../viewer/src/model/column-frame.js';
import {
  commonAxis,
  diffFrames,
  diffValue,
  divergingPosition,
  onCommonAxis,
} from '../../../viewer/src/model/diff-model.js';

/** A frame of hand-written counts, column by column (rows = that side's axis rows). */
function frame(columns: number[][]): ColumnFrame {
  const rows = columns[0]!.length;
  return {
    columns: columns.length,
    rows,
    counts: Float64Array.from(columns.flat()),
    totals: Float64Array.from(columns.map((c) => c.reduce((a, b) => a + b, 0))),
    from: Int32Array.from(columns.map((_, i) => i)),
    to: Int32Array.from(columns.map((_, i) => i + 1)),
    state: new Uint8Array(columns.length).fill(2),
  };
}

// Side A knows [1,1] [2,3] [4,7]; side B knows [2,3] [4,7] [8,15] and an underflow bucket, with other ids.
const A = new BucketAxis([
  { id: 5, lo: 4, hi: 7 },
  { id: 1, lo: 1, hi: 1 },
  { id: 2, lo: 2, hi: 3 },
]);
const B = new BucketAxis([
  { id: 1, lo: 2, hi: 3 },
  { id: 2, lo: 4, hi: 7 },
  { id: 3, lo: 8, hi: 15 },
  { id: 4, lo: null, hi: -1 },
]);

describe('the diff model', () => {
  it('puts both sides on one axis of every bucket either has, matched by bounds', () => {
    const c = commonAxis(A, B);
    expect(c.axis.rows.map((b) => [b.lo, b.hi])).toEqual([
      [null, -1],
      [1, 1],
      [2, 3],
      [4, 7],
      [8, 15],
    ]);
    expect([...c.rowsA]).toEqual([1, 2, 3]);
    expect([...c.rowsB]).toEqual([0, 2, 3, 4]);
  });

  it('gives B − A, or log2((B + 1) / (A + 1)), and nothing where both are empty', () => {
    expect(diffValue(10, 30, 'difference')).toBe(20);
    expect(diffValue(30, 10, 'difference')).toBe(-20);
    expect(diffValue(3, 0, 'log-ratio')).toBe(-2);
    expect(diffValue(1, 7, 'log-ratio')).toBe(2);
    expect(diffValue(5, 5, 'log-ratio')).toBe(0);
    expect(diffValue(0, 0, 'difference')).toBeNaN();
  });

  it('compares two frames cell by cell on the common axis, with the largest |value| as the limit', () => {
    const c = commonAxis(A, B);
    // A rows: [1,1] [2,3] [4,7]; B rows: under [2,3] [4,7] [8,15].
    const d = diffFrames(
      frame([
        [4, 10, 0],
        [0, 1, 2],
      ]),
      frame([
        [0, 10, 3, 0],
        [2, 0, 2, 7],
      ]),
      c,
      'difference',
    );
    expect([d.columns, d.rows]).toEqual([2, 5]);
    expect([...d.a]).toEqual([0, 4, 10, 0, 0, 0, 0, 1, 2, 0]);
    expect([...d.b]).toEqual([0, 0, 10, 3, 0, 2, 0, 0, 2, 7]);
    expect([...d.values]).toEqual([NaN, -4, 0, 3, NaN, 2, NaN, -1, 0, 7]);
    expect(d.limit).toBe(7);
    const r = diffFrames(
      frame([
        [4, 10, 0],
        [0, 1, 2],
      ]),
      frame([
        [0, 10, 3, 0],
        [2, 0, 2, 7],
      ]),
      c,
      'log-ratio',
    );
    expect([...r.values]).toEqual([NaN, Math.log2(1 / 5), 0, 2, NaN, Math.log2(3), NaN, -1, 0, 3]);
    expect(r.limit).toBe(3);
    expect(onCommonAxis(Float64Array.from([4, 11, 2]), c.rowsA, 5)).toEqual(
      Float64Array.from([0, 4, 11, 2, 0]),
    );
    expect(onCommonAxis(Float64Array.from([2, 10, 5, 7]), c.rowsB, 5)).toEqual(
      Float64Array.from([2, 0, 10, 5, 7]),
    );
    expect(() =>
      diffFrames(
        frame([[1, 1, 1]]),
        frame([
          [1, 1, 1, 1],
          [1, 1, 1, 1],
        ]),
        c,
        'difference',
      ),
    ).toThrow(/1 and 2 columns/);
  });

  it('places values on a diverging scale: log-compressed differences, linear log ratios', () => {
    expect(divergingPosition(7, 7, 'difference')).toBe(1);
    expect(divergingPosition(-3, 7, 'difference')).toBeCloseTo(-Math.log(4) / Math.log(8), 12);
    expect(divergingPosition(-1.5, 3, 'log-ratio')).toBe(-0.5);
    expect(divergingPosition(0, 3, 'log-ratio')).toBe(0);
    expect(divergingPosition(NaN, 3, 'log-ratio')).toBe(0);
  });
});
