// One heat map frame computed before it is painted (computeHeatFrame): the values per pixel run
// and the colour scale the legend shows, exactly; buffers and layout lent by the previous frame
// only when they fit; a latency band's top and bottom in CSS px.

import { describe, expect, it } from 'vitest';
import { BucketAxis } from '../../../viewer/src/model/bucket-axis.js';
import {
  bandCss,
  computeHeatFrame,
  type HeatFrameInput,
} from '../../../viewer/src/model/heat-frame.js';
import { TimeGrid } from '../../../viewer/src/model/time-grid.js';

// Two log2 buckets, [1, 1] and [2, 3], far apart in a 100 device px plot: one pixel run each.
const axis = new BucketAxis([
  { id: 1, lo: 1, hi: 1 },
  { id: 2, lo: 2, hi: 3 },
]);

/** Seconds 0-3: 1, 100, 10 events in [1, 1] or [2, 3]; second 3 quiet. */
function grid(): TimeGrid {
  const g = new TimeGrid(2, 0);
  g.append(0, [1, 0]);
  g.append(1, [0, 100]);
  g.append(2, [10, 30]);
  g.append(3, [0, 0]);
  return g;
}

function input(over: Partial<HeatFrameInput> = {}): HeatFrameInput {
  return {
    counts: grid(),
    axis,
    yScale: 'log',
    window: { start: 0, end: 4 },
    width: 4,
    height: 100,
    dpr: 1,
    colour: { kind: 'log', clamp: null },
    share: false,
    ...over,
  };
}

/** The value of each run (bottom bucket first) of each column. */
function byBucket(heat: ReturnType<typeof computeHeatFrame>): number[][] {
  const runs = heat.layout.runs;
  const runOf = (row: number) => runs.findIndex((r) => r.rows.includes(row));
  return Array.from({ length: heat.frame.columns }, (_, c) =>
    [0, 1].map((row) => heat.runValues[c * runs.length + runOf(row)]!),
  );
}

describe('computeHeatFrame', () => {
  it('sums each pixel run per column and fits the colour scale to what it shows', () => {
    const heat = computeHeatFrame(input());
    expect(heat.layout.runs).toHaveLength(2);
    expect(byBucket(heat)).toEqual([
      [1, 0],
      [0, 100],
      [10, 30],
      [0, 0],
    ]);
    expect([heat.scale.kind, heat.scale.lo, heat.scale.hi]).toEqual(['log', 1, 100]);
    expect(heat.complete).toBe(true);
    expect(heat.window).toEqual({ start: 0, end: 4 });
  });

  it('gives shares of the column in share mode, and a clamp caps the scale', () => {
    const heat = computeHeatFrame(input({ share: true, colour: { kind: 'linear', clamp: 0.5 } }));
    expect(byBucket(heat)).toEqual([
      [1, 0],
      [0, 1],
      [0.25, 0.75],
      [0, 0],
    ]);
    expect([heat.scale.kind, heat.scale.hi]).toEqual(['linear', 0.5]);
  });

  it('reuses the previous frame’s layout and buffers when they fit, and not when they do not', () => {
    const first = computeHeatFrame(input());
    const firstFrame = first.frame;
    const firstLayout = first.layout;
    const panned = computeHeatFrame(input({ window: { start: 1, end: 5 } }), first);
    expect(panned.layout).toBe(firstLayout);
    expect(panned.frame).toBe(firstFrame);
    expect(byBucket(panned)[0]).toEqual([0, 100]); // the buffers hold the new window
    const linear = computeHeatFrame(input({ yScale: 'linear' }), panned);
    expect(linear.layout).not.toBe(firstLayout);
    const wider = computeHeatFrame(input({ width: 8 }), linear);
    expect(wider.frame).not.toBe(firstFrame);
    expect(wider.frame.columns).toBe(8);
  });
});

describe('bandCss', () => {
  it('spans the rows of the band, from the top of the highest to the bottom of the lowest, in CSS px', () => {
    const { layout } = computeHeatFrame(input({ height: 200, dpr: 2 }));
    expect(bandCss(layout, [0, 1], 2)).toEqual({
      y0: layout.rowTop[1]! / 2,
      y1: layout.rowBottom[0]! / 2,
    });
    expect(bandCss(layout, [1], 2)).toEqual({
      y0: layout.rowTop[1]! / 2,
      y1: layout.rowBottom[1]! / 2,
    });
    expect(layout.rowTop[1]!).toBeLessThan(layout.rowBottom[0]!);
    expect(bandCss(layout, null, 2)).toEqual({ y0: null, y1: null });
    expect(bandCss(layout, [], 2)).toEqual({ y0: null, y1: null });
  });
});
