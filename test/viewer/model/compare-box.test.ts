import { describe, expect, it } from 'vitest';
import { BucketAxis } from '../../../viewer/src/model/bucket-axis.js';
import { bandOnAxis, boxOnBothSides } from '../../../viewer/src/model/compare-box.js';

describe('boxOnBothSides', () => {
  const a = { from: 100, to: 200, onMap: true };
  const b = { from: 400, to: 500, onMap: true };

  it('takes the offset from the window the box was drawn in, B first when both are on the map', () => {
    expect(boxOnBothSides({ from: 410, to: 430, rows: null }, a, b)).toEqual({
      a: { from: 110, to: 130 },
      b: { from: 410, to: 430 },
    });
    expect(boxOnBothSides({ from: 150, to: 151, rows: null }, a, b)).toEqual({
      a: { from: 150, to: 151 },
      b: { from: 450, to: 451 },
    });
  });

  it('ignores a side that is another recording, and a box outside both windows', () => {
    const other = { ...b, onMap: false };
    expect(boxOnBothSides({ from: 410, to: 430, rows: null }, a, other)).toBeNull();
    expect(boxOnBothSides({ from: 120, to: 130, rows: null }, a, other)).toEqual({
      a: { from: 120, to: 130 },
      b: { from: 420, to: 430 },
    });
    expect(boxOnBothSides({ from: 190, to: 210, rows: null }, a, b)).toBeNull();
  });
});

describe('bandOnAxis', () => {
  const map = new BucketAxis([
    { id: 1, lo: 0, hi: 0 },
    { id: 2, lo: 16, hi: 31 },
    { id: 3, lo: 32, hi: 63 },
    { id: 4, lo: 4096, hi: 8191 },
  ]);
  const other = new BucketAxis([
    { id: 7, lo: 16, hi: 31 },
    { id: 8, lo: 32, hi: 63 },
    { id: 9, lo: 64, hi: 127 },
    { id: 10, lo: 8192, hi: null },
  ]);

  it('on the map axis: the rows own bucket ids; no rows: every bucket', () => {
    expect(bandOnAxis([1, 2], map, map)).toEqual(new Set([2, 3]));
    expect(bandOnAxis(null, map, map)).toBeNull();
  });

  it('on another axis: the buckets within the band bounds', () => {
    expect(bandOnAxis([1, 2], map, other)).toEqual(new Set([7, 8]));
    expect(bandOnAxis([2, 3], map, other)).toEqual(new Set([8, 9]));
  });
});
