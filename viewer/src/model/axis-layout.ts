// The latency axis laid out on pixels: the overflow band on top, the finite buckets at their
// true position (log or linear), the underflow band at the bottom; and the pixel rows grouped
// into runs that show the same bucket rows, so a painter fills runs instead of single pixels.

import { unitsToValue, valueToUnits, type AxisScale, type BucketAxis } from './bucket-axis.js';

/** Pixel rows [y0, y1) that show the sum of the same bucket rows. */
export interface PixelRun {
  y0: number;
  y1: number;
  rows: Int32Array;
}

export interface LayoutOptions {
  scale: AxisScale;
  /** Plot height in px (device px when painting). */
  height: number;
  /** Height of the under- and overflow bands in px. @default 14 */
  bandPx?: number;
  /** Space between a band and the finite part in px. @default 3 */
  gapPx?: number;
}

export class AxisLayout {
  /** Top and bottom (exclusive) y of each row; y = 0 is the top of the plot. */
  readonly rowTop: Float64Array;
  readonly rowBottom: Float64Array;
  /** The finite part's pixel span [finiteTop, finiteBottom). */
  readonly finiteTop: number;
  readonly finiteBottom: number;
  readonly runs: PixelRun[];
  private readonly uMin: number;
  private readonly uMax: number;

  constructor(
    readonly axis: BucketAxis,
    readonly options: LayoutOptions,
  ) {
    const { height, scale } = options;
    const band = Math.min(options.bandPx ?? 14, height / 6);
    const gap = options.gapPx ?? 3;
    const under = axis.rowsOfKind('under');
    const over = axis.rowsOfKind('over');
    this.finiteTop = over.length ? band + gap : 0;
    this.finiteBottom = under.length ? height - band - gap : height;
    this.uMin = valueToUnits(axis.finiteMin, scale);
    this.uMax = valueToUnits(axis.finiteMax, scale);
    this.rowTop = new Float64Array(axis.length);
    this.rowBottom = new Float64Array(axis.length);
    this.placeBand(over, 0, band);
    this.placeBand(under, height - band, height);
    axis.rows.forEach((b, i) => {
      if (axis.kinds[i] !== 'finite') return;
      this.rowTop[i] = this.valueToY(b.hi! + 1);
      this.rowBottom[i] = this.valueToY(b.lo!);
    });
    this.runs = buildRuns(this.rowTop, this.rowBottom, Math.round(height));
  }

  /** y of a value in the finite part (higher values are higher up). */
  valueToY(v: number): number {
    const u = valueToUnits(v, this.options.scale);
    const f = (this.uMax - u) / (this.uMax - this.uMin);
    return this.finiteTop + f * (this.finiteBottom - this.finiteTop);
  }

  /** The value at y in the finite part, or null in a band or the gaps around them. */
  yToValue(y: number): number | null {
    if (y < this.finiteTop || y >= this.finiteBottom) return null;
    const f = (y - this.finiteTop) / (this.finiteBottom - this.finiteTop);
    return unitsToValue(this.uMax - f * (this.uMax - this.uMin), this.options.scale);
  }

  /** The rows drawn at pixel row y (empty where nothing is). */
  rowsAtY(y: number): number[] {
    const py = Math.floor(y);
    const run = this.runs.find((r) => r.y0 <= py && py < r.y1);
    return run ? [...run.rows] : [];
  }

  /** Stacks open rows in a band, the first (lowest) at the bottom. */
  private placeBand(rows: number[], top: number, bottom: number): void {
    const h = (bottom - top) / Math.max(1, rows.length);
    rows.forEach((r, k) => {
      this.rowBottom[r] = bottom - k * h;
      this.rowTop[r] = bottom - (k + 1) * h;
    });
  }
}

/**
 * A row owns the pixel rows whose centres fall inside it; a row thinner than that owns the
 * pixel under its middle, so no bucket ever vanishes. Pixels owned by the same rows form a run.
 */
export function buildRuns(top: Float64Array, bottom: Float64Array, height: number): PixelRun[] {
  const owners: number[][] = Array.from({ length: height }, () => []);
  for (let r = 0; r < top.length; r++) {
    if (!(bottom[r]! > top[r]!)) continue;
    let y0 = Math.max(0, Math.ceil(top[r]! - 0.5));
    let y1 = Math.min(height, Math.ceil(bottom[r]! - 0.5));
    if (y1 <= y0) {
      y0 = Math.min(height - 1, Math.max(0, Math.floor((top[r]! + bottom[r]!) / 2)));
      y1 = y0 + 1;
    }
    for (let y = y0; y < y1; y++) owners[y]!.push(r);
  }
  const runs: PixelRun[] = [];
  for (let y = 0; y < height; y++) {
    const rows = owners[y]!;
    const last = runs[runs.length - 1];
    if (last && last.y1 === y && sameRows(last.rows, rows)) last.y1 = y + 1;
    else if (rows.length) runs.push({ y0: y, y1: y + 1, rows: Int32Array.from(rows) });
  }
  return runs;
}

function sameRows(a: Int32Array, b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
