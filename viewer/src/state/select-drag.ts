// The select gesture on the heat map, apart from the canvas: a drag across time (all latencies)
// or a box (time x a latency band) becomes the range; a press that does not move clears it.
// Plain TS so the rules are unit-tested; the component feeds it pointer positions in CSS px.

import type { RangeSelection } from '../model/range-summary.js';

export interface Point {
  x: number;
  y: number;
}

/** Whole seconds between two x positions, and (ys given) the rows of the band between two y. */
export type RangeBetween = (xa: number, xb: number, ys: [number, number] | null) => RangeSelection;

/** CSS px the pointer must move across before a press becomes a drag (a click stays a click). */
export const DRAG_THRESHOLD_PX = 3;

export class SelectDrag {
  private movedAcross = false;

  /** @param band whether the drag also selects a latency band (a box), not only time */
  constructor(
    private readonly start: Point,
    readonly band: boolean,
  ) {}

  /** Whether the pointer has moved far enough to select. */
  get moved(): boolean {
    return this.movedAcross;
  }

  /** The range for the pointer at p; undefined while it is still a press. */
  move(p: Point, between: RangeBetween): RangeSelection | undefined {
    if (!this.movedAcross && Math.abs(p.x - this.start.x) < DRAG_THRESHOLD_PX) return undefined;
    this.movedAcross = true;
    return between(this.start.x, p.x, this.band ? [this.start.y, p.y] : null);
  }

  /**
   * The range on release: `current` when the drag selected one, null when it was a press (a
   * click on the map clears the selection).
   */
  release(current: RangeSelection | null): RangeSelection | null {
    return this.movedAcross ? current : null;
  }
}
