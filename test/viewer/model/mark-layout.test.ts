import { describe, expect, it } from 'vitest';
import type { Mark } from '../../../schemas/marks.js';
import { placeMarks } from '../../../viewer/src/model/mark-layout.js';

const START = 1_000_000;
const mark = (id: number, atS: number, endS: number | null = null): Mark => ({
  id,
  atMs: START + atS * 1000,
  endMs: endS === null ? null : START + endS * 1000,
  text: `m${id}`,
  createdMs: 0,
  source: 'cli',
});

describe('placeMarks', () => {
  it('puts a moment at its time across the window and a span from its start to its end', () => {
    const placed = placeMarks([mark(1, 25), mark(2, 50, 75)], START, { start: 0, end: 100 }, 400);
    expect(placed.map((p) => [p.mark.id, p.x, p.x1, p.row])).toEqual([
      [1, 100, 100, 0],
      [2, 200, 300, 0],
    ]);
  });

  it('leaves out marks outside the window and clamps a span that runs past its edges', () => {
    const placed = placeMarks(
      [mark(1, 5), mark(2, 15, 200), mark(3, 150)],
      START,
      { start: 10, end: 110 },
      100,
    );
    expect(placed.map((p) => [p.mark.id, p.x, p.x1])).toEqual([[2, 5, 100]]);
  });

  it('moves labels closer than the gap to the next row, and reuses the row that has room', () => {
    const placed = placeMarks(
      [mark(1, 0), mark(2, 3), mark(3, 6), mark(4, 9), mark(5, 100)],
      START,
      { start: 0, end: 100 },
      1000,
      90,
      3,
    );
    expect(placed.map((p) => p.row)).toEqual([0, 1, 2, 0, 0]);
  });
});
