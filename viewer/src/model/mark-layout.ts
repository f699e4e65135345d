// Where marks go across a time axis: x of each mark (and of a span's end) in CSS px for a view
// window, and a label row so labels closer than `gapPx` do not print over each other. Plain maths,
// shared by the heat map and the overview strip.

import type { Mark } from '../../../schemas/marks.js';
import { timeToX, type ViewWindow } from './view-window.js';

export interface PlacedMark {
  mark: Mark;
  /** x of the moment (a span's start) and of a span's end (= x for a moment), CSS px from the axis's left; clamped to it. */
  x: number;
  x1: number;
  /** Label row, 0 at the top. */
  row: number;
}

/**
 * The marks that touch the window, placed on an axis `width` px wide.
 * @param gapPx labels starting closer than this go on the next row, up to `rows` rows @default 90
 * @param rows @default 3
 */
export function placeMarks(
  marks: readonly Mark[],
  startMs: number,
  w: ViewWindow,
  width: number,
  gapPx = 90,
  rows = 3,
): PlacedMark[] {
  const rowEnds: number[] = new Array(rows).fill(-Infinity);
  const placed: PlacedMark[] = [];
  for (const mark of marks) {
    const x = timeToX((mark.atMs - startMs) / 1000, w, width);
    const x1 = mark.endMs === null ? x : timeToX((mark.endMs - startMs) / 1000, w, width);
    if (x1 < 0 || x > width) continue;
    let row = rowEnds.findIndex((end) => x - end >= gapPx);
    if (row < 0) row = rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = x;
    placed.push({ mark, x: Math.max(0, x), x1: Math.min(width, x1), row });
  }
  return placed;
}
