// The two sides of a comparison as plain values, and what is read from each: side A, a window
// pinned from the map; side B, the map's current view (two windows of one recording) or the same
// span of another recording, aligned on relative time (B starts as far into its recording as A
// is into its own). Each side gives a frame for the difference map and its window's totals.

import { buildColumnFrame, type ColumnFrame } from './column-frame.js';
import { ALL_KEYS, includedIds, type KeySelection } from './key-selection.js';
import type { Recording } from './recording.js';
import type { ViewWindow } from './view-window.js';

export interface CompareSide {
  recording: Recording;
  selection: KeySelection;
  /** Seconds [from, to) of the recording. */
  from: number;
  to: number;
}

/** What the map shows: its recording, the keys shown and the window. */
export interface MapView {
  recording: Recording;
  selection: KeySelection;
  window: ViewWindow;
}

/** Side A pinned from the map's view: whole seconds, at least one. */
export function pinnedSide(view: MapView): CompareSide {
  const from = Math.round(view.window.start);
  const to = Math.max(from + 1, Math.round(view.window.end));
  return { recording: view.recording, selection: view.selection, from, to };
}

/** Side B, as long as A: from the map's view, or (all keys of) another recording at A's offset. */
export function sideB(a: CompareSide, view: MapView, other: Recording | null): CompareSide {
  const span = a.to - a.from;
  if (!other) {
    const from = Math.round(view.window.start);
    return { recording: view.recording, selection: view.selection, from, to: from + span };
  }
  const from = other.t0 + (a.from - a.recording.t0);
  return { recording: other, selection: ALL_KEYS, from, to: from + span };
}

/** The side's counts as a frame of `columns` columns over its own window. */
export function sideFrame(side: CompareSide, columns: number): ColumnFrame {
  const grid = side.recording.counts(side.selection).gridFor(side.from, side.to, columns);
  return buildColumnFrame(grid, side.from, side.to, columns);
}

/**
 * A side's window summed per row of its own axis (from whole rollup windows where it can).
 * May throw DetailPending for a recording read in parts.
 */
export function windowTotals(side: CompareSide): Float64Array {
  const out = new Float64Array(side.recording.axis.length);
  const ids = includedIds(side.selection, side.recording.seriesIds);
  for (const counts of side.recording.seriesCounts(side.from, side.to, ids).values())
    for (let r = 0; r < out.length; r++) out[r]! += counts[r]!;
  return out;
}
