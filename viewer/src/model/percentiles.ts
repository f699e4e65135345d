// Percentiles of a histogram held as counts per axis row (ascending bucket order). A histogram
// only knows buckets, so a percentile is a row (a bucket with exact bounds), found by nearest
// rank, the same rule heat-record info uses.

/** The percentiles the range panel lists. */
export const RANGE_PERCENTILES = [50, 90, 99, 99.9] as const;

export function totalOf(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  return total;
}

/**
 * Nearest rank: the row holding the event of rank ceil(p/100 * total), at least 1; -1 when the
 * histogram is empty. p may have one decimal (99.9); the rank is computed on integers.
 */
export function percentileRow(
  counts: ArrayLike<number>,
  p: number,
  total = totalOf(counts),
): number {
  return percentileRowAt(counts, 0, counts.length, p, total);
}

/** percentileRow of the `rows` counts starting at `offset` (one column of a frame), without copying. */
export function percentileRowAt(
  counts: ArrayLike<number>,
  offset: number,
  rows: number,
  p: number,
  total: number,
): number {
  if (total <= 0) return -1;
  const rank = Math.max(1, Math.ceil((Math.round(p * 10) * total) / 1000));
  let seen = 0;
  for (let r = 0; r < rows; r++) {
    seen += counts[offset + r]!;
    if (seen >= rank) return r;
  }
  return rows - 1;
}

/** The highest row with a count, or -1. */
export function maxRow(counts: ArrayLike<number>): number {
  for (let r = counts.length - 1; r >= 0; r--) if (counts[r]! > 0) return r;
  return -1;
}

/**
 * percentileRow for every column of a columns x rows frame, written into out (-1 for empty
 * columns). Used for the p50/p99 lines over the map.
 */
export function columnPercentiles(
  values: Float64Array,
  totals: Float64Array,
  rows: number,
  p: number,
  out: Int32Array,
): Int32Array {
  const columns = totals.length;
  for (let c = 0; c < columns; c++) {
    out[c] = percentileRowAt(values, c * rows, rows, p, totals[c]!);
  }
  return out;
}
