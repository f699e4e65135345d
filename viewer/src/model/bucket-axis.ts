// The latency axis: every bucket of a recording as one row, in ascending order, with the value
// scale (log or linear) that places a row at its true position. Buckets of different schemes
// (log2 next to linear) may overlap; each keeps its own exact bounds and its own row.

/** A bucket as stored: inclusive bounds in the recording's unit; null = open end. */
export interface AxisBucket {
  id: number;
  lo: number | null;
  hi: number | null;
}

export type AxisScale = 'log' | 'linear';

/** under: open below (lo null); over: open above (hi null); finite: both bounds known. */
export type RowKind = 'under' | 'finite' | 'over';

/** Ascending bucket order: open-below first, then by lo, then by hi (open-above last). */
export function compareBuckets(a: AxisBucket, b: AxisBucket): number {
  if (a.lo !== b.lo) {
    if (a.lo === null) return -1;
    if (b.lo === null) return 1;
    return a.lo - b.lo;
  }
  if (a.hi === b.hi) return 0;
  if (a.hi === null) return 1;
  if (b.hi === null) return -1;
  return a.hi - b.hi;
}

export function rowKind(b: AxisBucket): RowKind {
  if (b.lo === null) return 'under';
  return b.hi === null ? 'over' : 'finite';
}

/**
 * Position of a value on the axis, in axis units. log: log2(v) from 1 up, and one unit per 1
 * below it, so a [0, 0] bucket is as tall as [1, 1] and [2, 3], and negative values still have
 * a place. linear: the value itself.
 */
export function valueToUnits(v: number, scale: AxisScale): number {
  if (scale === 'linear') return v;
  return v >= 1 ? Math.log2(v) : v - 1;
}

export function unitsToValue(u: number, scale: AxisScale): number {
  if (scale === 'linear') return u;
  return u >= 0 ? 2 ** u : u + 1;
}

export class BucketAxis {
  /** Rows in ascending order; a grid's row r holds counts of rows[r]. */
  readonly rows: readonly AxisBucket[];
  readonly kinds: readonly RowKind[];
  /** Lowest finite bound and highest finite bound + 1: the finite part covers [finiteMin, finiteMax). */
  readonly finiteMin: number;
  readonly finiteMax: number;
  private readonly rowById: Map<number, number>;

  constructor(buckets: readonly AxisBucket[]) {
    this.rows = [...buckets].sort(compareBuckets);
    this.kinds = this.rows.map(rowKind);
    this.rowById = new Map(this.rows.map((b, i) => [b.id, i]));
    const finite = this.rows.filter((_, i) => this.kinds[i] === 'finite');
    this.finiteMin = finite.length ? Math.min(...finite.map((b) => b.lo!)) : 0;
    this.finiteMax = finite.length ? Math.max(...finite.map((b) => b.hi! + 1)) : 1;
  }

  get length(): number {
    return this.rows.length;
  }

  /** Row index of a bucket id, or -1. */
  rowOf(bucketId: number): number {
    return this.rowById.get(bucketId) ?? -1;
  }

  /** Rows whose finite bounds hold the integer value v (several when schemes overlap). */
  rowsHolding(v: number): number[] {
    const out: number[] = [];
    this.rows.forEach((b, i) => {
      if (this.kinds[i] === 'finite' && b.lo! <= v && v <= b.hi!) out.push(i);
    });
    return out;
  }

  /** The rows open below or above. */
  rowsOfKind(kind: RowKind): number[] {
    const out: number[] = [];
    this.kinds.forEach((k, i) => {
      if (k === kind) out.push(i);
    });
    return out;
  }

  /** log when any bucket looks like a power-of-two or log-linear scheme, else linear. */
  static defaultScale(schemes: readonly string[]): AxisScale {
    return schemes.some((s) => s.startsWith('log')) || schemes.length === 0 ? 'log' : 'linear';
  }
}
