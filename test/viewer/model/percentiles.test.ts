import { describe, expect, it } from 'vitest';
import {
  columnPercentiles,
  maxRow,
  percentileRow,
  totalOf,
} from '../../../viewer/src/model/percentiles.js';

describe('percentileRow (nearest rank)', () => {
  // 1000 events: 500 in row 0, 400 in row 1, 90 in row 2, 9 in row 3, 1 in row 5.
  const counts = [500, 400, 90, 9, 0, 1];

  it('finds the row holding the event of rank ceil(p/100 * total)', () => {
    expect(totalOf(counts)).toBe(1000);
    expect(percentileRow(counts, 50)).toBe(0); // rank 500: the last event of row 0
    expect(percentileRow(counts, 50.1)).toBe(1); // rank 501
    expect(percentileRow(counts, 90)).toBe(1); // rank 900
    expect(percentileRow(counts, 99)).toBe(2); // rank 990
    expect(percentileRow(counts, 99.9)).toBe(3); // rank 999
    expect(percentileRow(counts, 100)).toBe(5);
    expect(maxRow(counts)).toBe(5);
  });

  it('computes 99.9 on integers: 1001 events put rank 1000 in the last row', () => {
    expect(percentileRow([1000, 1], 99.9)).toBe(0); // ceil(999 * 1001 / 1000) = 1000
    expect(percentileRow([999, 2], 99.9)).toBe(1); // rank 1000 is past row 0's 999
  });

  it('ranks at least the first event, and gives -1 for nothing', () => {
    expect(percentileRow([0, 3, 0], 0)).toBe(1);
    expect(percentileRow([0, 0], 50)).toBe(-1);
    expect(maxRow([0, 0])).toBe(-1);
  });

  it('works column by column over a frame', () => {
    const values = Float64Array.from([1, 0, 0, /* col 1 */ 0, 0, 0, /* col 2 */ 1, 1, 98]);
    const totals = Float64Array.from([1, 0, 100]);
    expect([...columnPercentiles(values, totals, 3, 99, new Int32Array(3))]).toEqual([0, -1, 2]);
    expect([...columnPercentiles(values, totals, 3, 1, new Int32Array(3))]).toEqual([0, -1, 0]);
    expect([...columnPercentiles(values, totals, 3, 2, new Int32Array(3))]).toEqual([0, -1, 1]);
  });
});
