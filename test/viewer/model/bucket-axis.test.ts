import { describe, expect, it } from 'vitest';
import { AxisLayout, buildRuns } from '../../../viewer/src/model/axis-layout.js';
import {
  BucketAxis,
  compareBuckets,
  unitsToValue,
  valueToUnits,
} from '../../../viewer/src/model/bucket-axis.js';

// log2 buckets as bpftrace prints them, plus a linear scheme (lhist 0..100 step 10) over the
// same values with its under- and overflow rows: the mix a custom script can record.
const log2 = [
  { id: 1, lo: 0, hi: 0 },
  { id: 2, lo: 1, hi: 1 },
  { id: 3, lo: 2, hi: 3 },
  { id: 4, lo: 4, hi: 7 },
  { id: 5, lo: 8, hi: 15 },
  { id: 6, lo: 16, hi: 31 },
  { id: 7, lo: 32, hi: 63 },
  { id: 8, lo: 64, hi: 127 },
];
const linear = [
  { id: 20, lo: null, hi: -1 },
  { id: 21, lo: 0, hi: 9 },
  { id: 22, lo: 10, hi: 19 },
  { id: 23, lo: 90, hi: 99 },
  { id: 24, lo: 100, hi: null },
];

describe('BucketAxis', () => {
  it('orders rows: open below first, then by lo, then by hi, open above last', () => {
    const axis = new BucketAxis([...linear, ...log2].reverse());
    expect(axis.rows.map((b) => b.id)).toEqual([20, 1, 21, 2, 3, 4, 5, 22, 6, 7, 8, 23, 24]);
    expect(axis.kinds.filter((k) => k !== 'finite')).toEqual(['under', 'over']);
    expect(axis.rowOf(20)).toBe(0);
    expect(axis.rowOf(24)).toBe(12);
    expect(axis.rowOf(999)).toBe(-1);
    expect([axis.finiteMin, axis.finiteMax]).toEqual([0, 128]);
  });

  it('finds every row that holds a value when schemes overlap', () => {
    const axis = new BucketAxis([...log2, ...linear]);
    expect(axis.rowsHolding(12).map((r) => axis.rows[r]!.id)).toEqual([5, 22]);
    expect(axis.rowsHolding(0).map((r) => axis.rows[r]!.id)).toEqual([1, 21]);
    expect(axis.rowsHolding(100).map((r) => axis.rows[r]!.id)).toEqual([8]); // and the open row >= 100
    expect(axis.rowsHolding(200)).toEqual([]); // only the open row >= 100 holds it
  });

  it('compares like the store does', () => {
    expect(compareBuckets({ id: 1, lo: null, hi: 5 }, { id: 2, lo: 0, hi: 0 })).toBeLessThan(0);
    expect(compareBuckets({ id: 1, lo: 4, hi: null }, { id: 2, lo: 4, hi: 7 })).toBeGreaterThan(0);
    expect(compareBuckets({ id: 1, lo: 4, hi: 7 }, { id: 2, lo: 4, hi: 7 })).toBe(0);
  });

  it('picks log for power-of-two schemes and linear when every key is linear', () => {
    expect(BucketAxis.defaultScale(['log2', 'linear'])).toBe('log');
    expect(BucketAxis.defaultScale(['log2/2'])).toBe('log');
    expect(BucketAxis.defaultScale(['linear', 'linear'])).toBe('linear');
  });
});

describe('value scale', () => {
  it('gives each log2 bucket one unit, [0, 0] included, and continues below 1 in steps of 1', () => {
    expect([0, 1, 2, 4, 128].map((v) => valueToUnits(v, 'log'))).toEqual([-1, 0, 1, 2, 7]);
    expect(valueToUnits(-3, 'log')).toBe(-4);
    expect(unitsToValue(7, 'log')).toBe(128);
    expect(unitsToValue(-1, 'log')).toBe(0);
    expect(valueToUnits(37, 'linear')).toBe(37);
  });
});

describe('AxisLayout', () => {
  it('places log2 rows at equal heights on a log scale, highest at the top', () => {
    const layout = new AxisLayout(new BucketAxis(log2), { scale: 'log', height: 80 });
    // 8 buckets over 8 log units ([0,1) .. [64,128)) in 80 px: 10 px each, no bands.
    expect([...layout.rowTop]).toEqual([70, 60, 50, 40, 30, 20, 10, 0]);
    expect([...layout.rowBottom]).toEqual([80, 70, 60, 50, 40, 30, 20, 10]);
    expect(layout.runs.map((r) => [r.y0, r.y1, [...r.rows]])).toEqual([
      [0, 10, [7]],
      [10, 20, [6]],
      [20, 30, [5]],
      [30, 40, [4]],
      [40, 50, [3]],
      [50, 60, [2]],
      [60, 70, [1]],
      [70, 80, [0]],
    ]);
    expect(layout.yToValue(5)).toBeCloseTo(2 ** 6.5, 9);
    expect(layout.valueToY(16)).toBe(30);
  });

  it('places rows by value on a linear scale, so small log2 buckets share a pixel and none vanishes', () => {
    const layout = new AxisLayout(new BucketAxis(log2), { scale: 'linear', height: 128 });
    // 1 px per value: [64,127] spans y 0..64, [32,63] 64..96, ..., [0,0] and [1,1] one px each.
    expect([layout.rowTop[7], layout.rowBottom[7]]).toEqual([0, 64]);
    expect([layout.rowTop[0], layout.rowBottom[0]]).toEqual([127, 128]);
    expect(layout.runs.at(-1)).toEqual({ y0: 127, y1: 128, rows: Int32Array.from([0]) });
    expect(layout.runs.at(-2)).toEqual({ y0: 126, y1: 127, rows: Int32Array.from([1]) });
  });

  it('puts underflow and overflow rows in their own bands outside the finite scale', () => {
    const axis = new BucketAxis(linear);
    const layout = new AxisLayout(axis, { scale: 'linear', height: 200, bandPx: 14, gapPx: 3 });
    expect([layout.finiteTop, layout.finiteBottom]).toEqual([17, 183]);
    expect([layout.rowTop[axis.rowOf(24)], layout.rowBottom[axis.rowOf(24)]]).toEqual([0, 14]);
    expect([layout.rowTop[axis.rowOf(20)], layout.rowBottom[axis.rowOf(20)]]).toEqual([186, 200]);
    // The finite part [0, 100) spans 166 px: [90, 99] is its top tenth.
    expect(layout.rowTop[axis.rowOf(23)]).toBe(17);
    expect(layout.rowBottom[axis.rowOf(23)]).toBeCloseTo(33.6, 9);
    expect(layout.rowsAtY(5)).toEqual([axis.rowOf(24)]);
    expect(layout.rowsAtY(195)).toEqual([axis.rowOf(20)]);
    expect(layout.rowsAtY(15)).toEqual([]); // the gap between band and scale
    expect(layout.yToValue(15)).toBeNull();
  });

  it('sums overlapping schemes where they overlap', () => {
    const axis = new BucketAxis([...log2, ...linear.filter((b) => b.lo !== null && b.hi !== null)]);
    const layout = new AxisLayout(axis, { scale: 'linear', height: 128 });
    // y 110 is value ~17.5: inside log2 [16, 31] and linear [10, 19].
    expect(
      layout
        .rowsAtY(110)
        .map((r) => axis.rows[r]!.id)
        .sort((a, b) => a - b),
    ).toEqual([6, 22]);
  });
});

describe('buildRuns', () => {
  it('gives a row thinner than a pixel the pixel under its middle', () => {
    const runs = buildRuns(Float64Array.from([0, 4.2]), Float64Array.from([4.2, 4.4]), 6);
    expect(runs).toEqual([
      { y0: 0, y1: 4, rows: Int32Array.from([0]) },
      { y0: 4, y1: 5, rows: Int32Array.from([1]) },
    ]);
  });
});
