// Counts of one key selection as a columnar grid: one row of bucket counts per second, stored
// as running sums over time, so the counts of any span of seconds (a pixel column, a range)
// cost one subtraction per bucket however far the view is zoomed out. Seconds are appended at
// the right edge as a live recording grows.

import type { FrameSource } from './column-frame.js';

export class TimeGrid implements FrameSource {
  /** Running sums: cum[(i + 1) * rows + r] = counts of row r over seconds t0 .. t0 + i. */
  private cum: Float64Array;
  private cumTotal: Float64Array;
  private present: Uint8Array;
  private size = 0;

  /**
   * @param rows bucket rows (the BucketAxis length)
   * @param t0 the first second the grid covers
   */
  constructor(
    readonly rows: number,
    readonly t0: number,
    capacity = 64,
  ) {
    this.cum = new Float64Array((capacity + 1) * rows);
    this.cumTotal = new Float64Array(capacity + 1);
    this.present = new Uint8Array(capacity);
  }

  /** Every second is held: any frame draws from the grid itself. */
  gridFor(): TimeGrid {
    return this;
  }

  /** The second after the last one held. */
  get end(): number {
    return this.t0 + this.size;
  }

  /**
   * Adds second t with its counts per row (null: the second was missed). Seconds between the
   * current end and t are recorded as missed.
   */
  append(t: number, counts: ArrayLike<number> | null): void {
    if (t < this.end) throw new Error(`second ${t} is before the grid's end ${this.end}`);
    while (this.end < t) this.push(null);
    this.push(counts);
  }

  /** Sums rows over seconds [from, to) (clipped to the grid) into out (length rows). */
  sumInto(from: number, to: number, out: Float64Array): Float64Array {
    const a = this.clip(from);
    const b = this.clip(to);
    const R = this.rows;
    for (let r = 0; r < R; r++) out[r] = b > a ? this.cum[b * R + r]! - this.cum[a * R + r]! : 0;
    return out;
  }

  /** Total count over seconds [from, to). */
  total(from: number, to: number): number {
    const a = this.clip(from);
    const b = this.clip(to);
    return b > a ? this.cumTotal[b]! - this.cumTotal[a]! : 0;
  }

  /** Count of one row in second t. */
  countAt(t: number, row: number): number {
    const i = t - this.t0;
    if (i < 0 || i >= this.size) return 0;
    return this.cum[(i + 1) * this.rows + row]! - this.cum[i * this.rows + row]!;
  }

  /** True when second t was recorded (even with no events). */
  isPresent(t: number): boolean {
    const i = t - this.t0;
    return i >= 0 && i < this.size && this.present[i] === 1;
  }

  /** True when any second in [from, to) was recorded. */
  anyPresent(from: number, to: number): boolean {
    for (let t = Math.max(from, this.t0); t < Math.min(to, this.end); t++)
      if (this.present[t - this.t0]) return true;
    return false;
  }

  /** This grid minus another over the same seconds (all keys minus the excluded ones). */
  minus(other: TimeGrid): TimeGrid {
    const out = new TimeGrid(this.rows, this.t0, this.size);
    const row = new Float64Array(this.rows);
    const sub = new Float64Array(this.rows);
    for (let t = this.t0; t < this.end; t++) {
      if (!this.isPresent(t)) {
        out.append(t, null);
        continue;
      }
      this.sumInto(t, t + 1, row);
      other.sumInto(t, t + 1, sub);
      for (let r = 0; r < this.rows; r++) row[r] = row[r]! - sub[r]!;
      out.append(t, row);
    }
    return out;
  }

  private clip(t: number): number {
    return Math.max(0, Math.min(this.size, t - this.t0));
  }

  private push(counts: ArrayLike<number> | null): void {
    if (this.size === this.present.length) this.grow();
    const R = this.rows;
    const base = this.size * R;
    let total = 0;
    for (let r = 0; r < R; r++) {
      const n = counts ? counts[r]! : 0;
      this.cum[base + R + r] = this.cum[base + r]! + n;
      total += n;
    }
    this.cumTotal[this.size + 1] = this.cumTotal[this.size]! + total;
    this.present[this.size] = counts ? 1 : 0;
    this.size++;
  }

  private grow(): void {
    const capacity = Math.max(64, this.present.length * 2);
    const cum = new Float64Array((capacity + 1) * this.rows);
    cum.set(this.cum);
    const cumTotal = new Float64Array(capacity + 1);
    cumTotal.set(this.cumTotal);
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.cum = cum;
    this.cumTotal = cumTotal;
    this.present = present;
  }
}

/**
 * Builds a grid from rows that arrive in time order, several per second possible (one per key):
 * each row's JSON counts are added into its second before the second is appended.
 */
export class GridBuilder {
  private readonly grid: TimeGrid;
  private readonly pending: Float64Array;
  private readonly zeros: Float64Array;
  private pendingT = -1;

  /**
   * @param rowOf axis row of a bucket id (-1: not on the axis, ignored)
   * @param isRecorded whether a second with no rows was recorded (empty) or missed
   */
  constructor(
    rows: number,
    t0: number,
    capacity: number,
    private readonly rowOf: (bucketId: number) => number,
    private readonly isRecorded: (t: number) => boolean,
  ) {
    this.grid = new TimeGrid(rows, t0, capacity);
    this.pending = new Float64Array(rows);
    this.zeros = new Float64Array(rows);
  }

  /** Adds one stored counts object ({"<bucket id>": n}) to second t. */
  add(t: number, counts: Record<string, number>): void {
    if (t !== this.pendingT) this.flush();
    this.pendingT = t;
    for (const id in counts) {
      const row = this.rowOf(Number(id));
      if (row >= 0) this.pending[row] = this.pending[row]! + counts[id]!;
    }
  }

  /** Appends what is pending and the seconds up to `end`, and returns the grid. */
  finish(end: number): TimeGrid {
    this.flush();
    this.fillTo(end);
    return this.grid;
  }

  private flush(): void {
    if (this.pendingT < 0) return;
    this.fillTo(this.pendingT);
    this.grid.append(this.pendingT, this.pending);
    this.pending.fill(0);
    this.pendingT = -1;
  }

  private fillTo(end: number): void {
    for (let t = this.grid.end; t < end; t++)
      this.grid.append(t, this.isRecorded(t) ? this.zeros : null);
  }
}
