// Histogram buckets written short in tests: [lo, hi, count] with null for an open end, as the
// parsers and the store hold them (bigint, so counts past 2^53 stay exact).

import type { Bucket } from '../../cli/model/snapshot.js';

/** A bound or count: a string holds a 64-bit value exactly, as the fixtures print it. */
type Num = number | bigint | string;

/** One bucket [lo, hi] holding count; null lo/hi is an open underflow/overflow end. */
export function bucket(lo: Num | null, hi: Num | null, count: Num): Bucket {
  return {
    lo: lo === null ? null : BigInt(lo),
    hi: hi === null ? null : BigInt(hi),
    count: BigInt(count),
  };
}

/** Buckets from [lo, hi, count] rows. */
export function buckets(...rows: [Num | null, Num | null, Num][]): Bucket[] {
  return rows.map(([lo, hi, count]) => bucket(lo, hi, count));
}

/** The log2 bucket [2^k, 2^(k+1) - 1] (k = -1: [0, 0]) holding n. */
export function log2Bucket(k: number, n: number): Bucket {
  return k < 0 ? bucket(0, 0, n) : bucket(2n ** BigInt(k), 2n ** BigInt(k + 1) - 1n, n);
}
