// What is under the pointer on a drawn heat map: the cell (column and pixel run), the whole
// seconds between two x positions, and the bucket rows between two y positions. Points are in
// CSS px relative to the canvas; the drawn frame knows the plot's place and the device ratio.

import type { DrawnFrame } from './heatmap-renderer.js';
import { xToTime, type TimeBounds } from '../model/view-window.js';

/** The cell under (x, y), or null outside the plot or between rows. */
export function cellAt(
  d: DrawnFrame,
  x: number,
  y: number,
): { column: number; run: number } | null {
  const { plotCss, dpr } = d.geometry;
  const column = Math.floor((x - plotCss.x) * dpr);
  const py = (y - plotCss.y) * dpr;
  if (column < 0 || column >= d.frame.columns) return null;
  const run = d.layout.runs.findIndex((r) => r.y0 <= py && py < r.y1);
  return run < 0 ? null : { column, run };
}

/** Whole seconds [from, to) spanned by two x positions (at least one), inside the recording. */
export function secondsBetween(
  d: DrawnFrame,
  xa: number,
  xb: number,
  bounds: TimeBounds,
): { from: number; to: number } {
  const plot = d.geometry.plotCss;
  const inside = (x: number) => Math.min(plot.width, Math.max(0, x - plot.x));
  const ta = xToTime(inside(Math.min(xa, xb)), d.window, plot.width);
  const tb = xToTime(inside(Math.max(xa, xb)), d.window, plot.width);
  const from = Math.max(bounds.t0, Math.floor(ta));
  return { from, to: Math.min(bounds.end, Math.max(from + 1, Math.ceil(tb))) };
}

/** Axis rows drawn anywhere between two y positions, ascending. */
export function rowsBetween(d: DrawnFrame, ya: number, yb: number): number[] {
  const { plotCss, dpr } = d.geometry;
  const top = (Math.min(ya, yb) - plotCss.y) * dpr;
  const bottom = (Math.max(ya, yb) - plotCss.y) * dpr;
  const rows = new Set<number>();
  for (const run of d.layout.runs)
    if (run.y1 > top && run.y0 < bottom) run.rows.forEach((r) => rows.add(r));
  return [...rows].sort((a, b) => a - b);
}
