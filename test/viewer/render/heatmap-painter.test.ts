import { describe, expect, it } from 'vitest';
import { AxisLayout } from '../../../viewer/src/model/axis-layout.js';
import { BucketAxis } from '../../../viewer/src/model/bucket-axis.js';
import { buildColumnFrame } from '../../../viewer/src/model/column-frame.js';
import { TimeGrid } from '../../../viewer/src/model/time-grid.js';
import { paintHeat } from '../../../viewer/src/render/heatmap-painter.js';
import { BACKGROUND_RGBA, MISSED_RGBA, palette } from '../../../viewer/src/render/palette.js';

// Two log2 buckets, [1, 1] and [2, 3], 4 px tall in all: [2, 3] on top (y 0-1), [1, 1] below (y 2-3).
const axis = new BucketAxis([
  { id: 1, lo: 1, hi: 1 },
  { id: 2, lo: 2, hi: 3 },
]);
const layout = new AxisLayout(axis, { scale: 'log', height: 4 });
const lut = palette('viridis').lut;

function paint(grid: TimeGrid, columns: number, share = false): Uint32Array {
  const pixels = new Uint32Array(columns * 4);
  paintHeat({
    frame: buildColumnFrame(grid, 0, columns, columns),
    runs: layout.runs,
    colour: { kind: 'log', clamp: null },
    share,
    lut,
    pixels,
    height: 4,
  });
  return pixels;
}

describe('paintHeat', () => {
  it('paints counts by colour, zero as background, a missed second hatched', () => {
    const grid = new TimeGrid(2, 0);
    grid.append(0, [1, 0]); // one event in [1, 1]
    grid.append(1, [0, 100]); // a hundred in [2, 3]
    grid.append(2, [10, 0]);
    grid.append(4, [0, 0]); // second 3 missed; second 4 quiet
    const px = paint(grid, 6);
    const at = (x: number, y: number) => px[y * 6 + x];
    expect([at(0, 2), at(0, 3)]).toEqual([lut[0], lut[0]]); // the smallest count gets the first colour
    expect([at(0, 0), at(0, 1)]).toEqual([BACKGROUND_RGBA, BACKGROUND_RGBA]);
    expect(at(1, 0)).toBe(lut[255]); // the largest count the last
    expect(at(2, 3)).toBe(lut[128]); // 10 on a log scale from 1 to 100: halfway (127.5 rounds up)
    expect([0, 1, 2, 3].map((y) => at(3, y))).toEqual([
      MISSED_RGBA[1],
      MISSED_RGBA[1],
      MISSED_RGBA[1],
      MISSED_RGBA[0],
    ]); // stripes: (x + y) % 6 < 2
    expect([0, 1, 2, 3].map((y) => at(4, y))).toEqual(new Array(4).fill(BACKGROUND_RGBA));
    expect([0, 1, 2, 3].map((y) => at(5, y))).toEqual(new Array(4).fill(BACKGROUND_RGBA)); // after the end
  });

  it('colours shares of the column in share mode', () => {
    const grid = new TimeGrid(2, 0);
    grid.append(0, [1, 1]); // 50% each
    grid.append(1, [1, 99]); // 1% and 99%
    const px = paint(grid, 2, true);
    expect(px[2 * 2 + 1]).toBe(lut[0]); // 1%: the smallest share
    expect(px[0 * 2 + 1]).toBe(lut[255]); // 99%: the largest
    expect(px[0 * 2 + 0]).toBe(lut[Math.round((Math.log(50) / Math.log(99)) * 255)]);
  });
});
