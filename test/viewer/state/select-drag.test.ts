import { describe, expect, it } from 'vitest';
import type { RangeSelection } from '../../../viewer/src/model/range-summary.js';
import { SelectDrag, type RangeBetween } from '../../../viewer/src/state/select-drag.js';

/** A stand-in plot: 10 px per second, and one row per 20 px from the top, rows 0..9 bottom up. */
const between: RangeBetween = (xa, xb, ys) => ({
  from: Math.floor(Math.min(xa, xb) / 10),
  to: Math.ceil(Math.max(xa, xb) / 10),
  rows: ys
    ? Array.from(
        { length: Math.floor(Math.max(...ys) / 20) - Math.floor(Math.min(...ys) / 20) + 1 },
        (_, i) => 9 - Math.floor(Math.max(...ys) / 20) + i,
      )
    : null,
});

describe('SelectDrag', () => {
  it('stays a press until the pointer moves 3 px across, then selects time only', () => {
    const drag = new SelectDrag({ x: 100, y: 50 }, false);
    expect(drag.move({ x: 102, y: 90 }, between)).toBeUndefined();
    expect(drag.moved).toBe(false);
    expect(drag.move({ x: 135, y: 90 }, between)).toEqual({ from: 10, to: 14, rows: null });
    expect(drag.moved).toBe(true);
    // back within 3 px of the start: still a drag
    expect(drag.move({ x: 101, y: 90 }, between)).toEqual({ from: 10, to: 11, rows: null });
  });

  it('as a box, also selects the band between the two heights, either way round', () => {
    const drag = new SelectDrag({ x: 200, y: 30 }, true);
    expect(drag.move({ x: 150, y: 75 }, between)).toEqual({ from: 15, to: 20, rows: [6, 7, 8] });
  });

  it('on release keeps the range dragged, and a press clears it', () => {
    const kept: RangeSelection = { from: 1, to: 4, rows: null };
    const drag = new SelectDrag({ x: 10, y: 0 }, false);
    drag.move({ x: 40, y: 0 }, between);
    expect(drag.release(kept)).toBe(kept);
    expect(new SelectDrag({ x: 10, y: 0 }, true).release(kept)).toBeNull();
  });
});
