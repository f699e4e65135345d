// What the wheel and a two-finger pinch do to the view, as pure maths on CSS px: the heat map
// turns the events into these and hands the result to the viewer's state (zoom, pan).

import { span, type ViewWindow } from './view-window.js';

/** The plot across, in CSS px from the canvas's left edge. */
export interface PlotSpan {
  x: number;
  width: number;
}

/** A wheel event's deltas: deltaMode 0 = px, 1 = lines, 2 = pages. */
export interface WheelTurn {
  deltaX: number;
  deltaY: number;
  deltaMode: number;
  shiftKey: boolean;
}

export type ViewChange =
  { kind: 'pan'; seconds: number } | { kind: 'zoom'; factor: number; anchor: number };

/** Px per line and per page of wheel delta. */
const LINE_PX = 16;
const PAGE_PX = 400;
/** Zoom per px of vertical wheel: exp(100 px x 0.002) ≈ 1.22x a notch. */
const ZOOM_PER_PX = 0.002;

/**
 * A sideways (or shift-) wheel pans by its delta as a share of the plot's width; an upright one
 * zooms (down = out) about the pointer at x.
 */
export function wheelChange(turn: WheelTurn, x: number, plot: PlotSpan, w: ViewWindow): ViewChange {
  const unit = turn.deltaMode === 1 ? LINE_PX : turn.deltaMode === 2 ? PAGE_PX : 1;
  if (turn.shiftKey || Math.abs(turn.deltaX) > Math.abs(turn.deltaY))
    return { kind: 'pan', seconds: (((turn.deltaX || turn.deltaY) * unit) / plot.width) * span(w) };
  return {
    kind: 'zoom',
    factor: Math.exp(turn.deltaY * unit * ZOOM_PER_PX),
    anchor: anchorAt(x, plot),
  };
}

export interface Point {
  x: number;
  y: number;
}

/**
 * A pinch that began `startDistance` px apart, its fingers now at a and b: the factor to zoom the
 * window the pinch began on (apart: in), about their midpoint. Null while they touch.
 */
export function pinchChange(
  startDistance: number,
  a: Point,
  b: Point,
  plot: PlotSpan,
): { factor: number; anchor: number } | null {
  const distance = Math.hypot(a.x - b.x, a.y - b.y);
  if (distance < 1) return null;
  return { factor: startDistance / distance, anchor: anchorAt((a.x + b.x) / 2, plot) };
}

/** Where x falls across the plot, 0..1 (clamped). */
export function anchorAt(x: number, plot: PlotSpan): number {
  return Math.min(1, Math.max(0, (x - plot.x) / plot.width));
}
