import { describe, expect, it } from 'vitest';
import {
  buildColumnFrame,
  columnSeconds,
  ColumnState,
} from '../../../viewer/src/model/column-frame.js';
import { GridBuilder, TimeGrid } from '../../../viewer/src/model/time-grid.js';

function grid(): TimeGrid {
  const g = new TimeGrid(2, 5, 2);
  g.append(5, [1, 2]);
  g.append(6, [3, 0]);
  g.append(8, [0, 4]); // second 7 was missed
  return g;
}

describe('TimeGrid', () => {
  it('sums any span of seconds, clipped to what it holds', () => {
    const g = grid();
    expect(g.end).toBe(9);
    expect([...g.sumInto(5, 9, new Float64Array(2))]).toEqual([4, 6]);
    expect([...g.sumInto(6, 8, new Float64Array(2))]).toEqual([3, 0]);
    expect([...g.sumInto(0, 100, new Float64Array(2))]).toEqual([4, 6]);
    expect([...g.sumInto(20, 30, new Float64Array(2))]).toEqual([0, 0]);
    expect(g.total(5, 9)).toBe(10);
    expect(g.countAt(8, 1)).toBe(4);
    expect(g.countAt(4, 1)).toBe(0);
  });

  it('tells a missed second from a quiet one', () => {
    const g = grid();
    expect([5, 6, 7, 8].map((t) => g.isPresent(t))).toEqual([true, true, false, true]);
    expect(g.anyPresent(7, 8)).toBe(false);
    expect(g.anyPresent(6, 8)).toBe(true);
  });

  it('grows as seconds are appended at the right edge, and refuses the past', () => {
    const g = grid();
    for (let t = 9; t < 300; t++) g.append(t, [1, 1]);
    expect(g.total(5, 300)).toBe(10 + 2 * 291);
    expect(() => g.append(299, [0, 0])).toThrow(/before the grid's end/);
  });

  it('subtracts another grid second by second', () => {
    const other = new TimeGrid(2, 5);
    other.append(5, [1, 0]);
    other.append(6, [1, 0]);
    const diff = grid().minus(other);
    expect([...diff.sumInto(5, 6, new Float64Array(2))]).toEqual([0, 2]);
    expect([...diff.sumInto(6, 7, new Float64Array(2))]).toEqual([2, 0]);
    expect(diff.isPresent(7)).toBe(false);
  });
});

describe('GridBuilder', () => {
  it('adds every key of a second into one row, and marks empty recorded seconds', () => {
    const rowOf = (id: number) => ({ 11: 0, 12: 1 })[id] ?? -1;
    const b = new GridBuilder(2, 0, 4, rowOf, (t) => t !== 2);
    b.add(0, { 11: 5 });
    b.add(0, { 11: 1, 12: 2, 99: 7 });
    b.add(3, { 12: 4 });
    const g = b.finish(5);
    expect([...g.sumInto(0, 1, new Float64Array(2))]).toEqual([6, 2]);
    expect([g.isPresent(1), g.isPresent(2), g.isPresent(4)]).toEqual([true, false, true]);
    expect(g.total(0, 5)).toBe(12);
  });
});

describe('column frame', () => {
  it('partitions seconds into columns when zoomed out', () => {
    expect([0, 1, 2, 3, 4].map((c) => columnSeconds(0, 10, 5, c))).toEqual([
      [0, 2],
      [2, 4],
      [4, 6],
      [6, 8],
      [8, 10],
    ]);
    expect([0, 1, 2].map((c) => columnSeconds(0, 10, 3, c))).toEqual([
      [0, 3],
      [3, 6],
      [6, 10],
    ]);
  });

  it('shows the second a column falls in when zoomed in', () => {
    expect([0, 1, 2, 3].map((c) => columnSeconds(2, 4, 4, c))).toEqual([
      [2, 3],
      [2, 3],
      [3, 4],
      [3, 4],
    ]);
    expect(columnSeconds(0.5, 1.5, 2, 1)).toEqual([1, 2]);
  });

  it('sums the counts under each column and says what it shows', () => {
    const frame = buildColumnFrame(grid(), 3, 11, 4); // columns: [3,5) [5,7) [7,9) [9,11)
    expect([...frame.counts]).toEqual([0, 0, 4, 2, 0, 4, 0, 0]);
    expect([...frame.totals]).toEqual([0, 6, 4, 0]);
    expect([...frame.state]).toEqual([
      ColumnState.Outside,
      ColumnState.Recorded,
      ColumnState.Recorded,
      ColumnState.Outside,
    ]);
    const missed = buildColumnFrame(grid(), 7, 8, 1);
    expect(missed.state[0]).toBe(ColumnState.Missed);
  });
});
