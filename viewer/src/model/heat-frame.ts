// What one frame of the heat map shows, computed before anything is painted: the counts cut into
// one column per device pixel, the latency rows laid out in pixel runs, each (column, run) value
// and the colour scale fitted to them. The painter paints it, the legend shows its scale, hover
// and selection read the numbers behind its pixels; none of them computes it again.

import { AxisLayout, type PixelRun } from './axis-layout.js';
import type { AxisScale, BucketAxis } from './bucket-axis.js';
import { fitColourScale, type ColourScale, type ColourScaleSpec } from './colour-scale.js';
import {
  buildColumnFrame,
  ColumnState,
  type ColumnFrame,
  type FrameSource,
} from './column-frame.js';
import type { ViewWindow } from './view-window.js';

export interface HeatFrameInput {
  counts: FrameSource;
  axis: BucketAxis;
  yScale: AxisScale;
  window: ViewWindow;
  /** The plot in device px: one column per pixel across, runs laid out down its height. */
  width: number;
  height: number;
  /** Device px per CSS px (bands and gaps between them are sized in CSS px). */
  dpr: number;
  colour: ColourScaleSpec;
  /** Colour by share of the column's events instead of by count. */
  share: boolean;
}

export interface HeatFrame {
  window: ViewWindow;
  frame: ColumnFrame;
  layout: AxisLayout;
  /** The value of each (column, run), column-major: what each pixel run is coloured by. */
  runValues: Float64Array;
  scale: ColourScale;
  /** False when some counts were still being read (the frame is computed again once they arrive). */
  complete: boolean;
}

/**
 * The frame for these inputs. `previous` lends its buffers and its layout when they fit (a frame
 * per animation frame while panning would otherwise churn the garbage collector); it must not
 * be used after this call.
 */
export function computeHeatFrame(input: HeatFrameInput, previous?: HeatFrame | null): HeatFrame {
  const { window, width } = input;
  const layout = layoutFor(input, previous?.layout);
  const grid = input.counts.gridFor(window.start, window.end, width);
  const frame = buildColumnFrame(grid, window.start, window.end, width, previous?.frame);
  const runValues = sumRuns(frame, layout.runs, input.share, previous?.runValues);
  return {
    window,
    frame,
    layout,
    runValues,
    scale: fitColourScale(runValues, input.colour),
    complete: grid.complete !== false,
  };
}

/** Sum of each run's rows per column (a share of the column total in share mode). */
export function sumRuns(
  frame: ColumnFrame,
  runs: readonly PixelRun[],
  share: boolean,
  scratch?: Float64Array,
): Float64Array {
  const size = frame.columns * runs.length;
  const out = scratch && scratch.length === size ? scratch.fill(0) : new Float64Array(size);
  for (let c = 0; c < frame.columns; c++) {
    if (frame.state[c] !== ColumnState.Recorded) continue;
    const base = c * frame.rows;
    const total = frame.totals[c]!;
    for (let k = 0; k < runs.length; k++) {
      const rows = runs[k]!.rows;
      let v = 0;
      for (let j = 0; j < rows.length; j++) v += frame.counts[base + rows[j]!]!;
      out[c * runs.length + k] = share ? (total > 0 ? v / total : 0) : v;
    }
  }
  return out;
}

/** The previous layout when it is of the same axis, scale and height; bands 14 CSS px, gaps 3. */
function layoutFor(input: HeatFrameInput, previous: AxisLayout | undefined): AxisLayout {
  const { axis, yScale: scale, height, dpr } = input;
  if (
    previous?.axis === axis &&
    previous.options.scale === scale &&
    previous.options.height === height
  )
    return previous;
  return new AxisLayout(axis, { scale, height, bandPx: 14 * dpr, gapPx: 3 * dpr });
}

/**
 * The top and bottom of a latency band (the rows it holds) in CSS px from the plot top; nulls for
 * no band (the selection spans every latency).
 */
export function bandCss(
  layout: AxisLayout,
  rows: readonly number[] | null,
  dpr: number,
): { y0: number | null; y1: number | null } {
  if (!rows || rows.length === 0) return { y0: null, y1: null };
  return {
    y0: Math.min(...rows.map((r) => layout.rowTop[r]!)) / dpr,
    y1: Math.max(...rows.map((r) => layout.rowBottom[r]!)) / dpr,
  };
}
