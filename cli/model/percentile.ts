// Percentiles of a histogram: the bucket that holds the p-th ranked event. A histogram only
// knows buckets, so a percentile is a bucket (its bounds), never an invented point value.

export interface CountedBucket {
  lo: bigint | null;
  hi: bigint | null;
  count: bigint;
}

/**
 * The bucket holding the event of rank ceil(p/100 * total) (nearest-rank), or null when empty.
 * @param buckets in ascending bucket order
 */
export function percentileBucket(
  buckets: readonly CountedBucket[],
  p: number,
): CountedBucket | null {
  let total = 0n;
  for (const b of buckets) total += b.count;
  if (total === 0n) return null;
  // Nearest rank on integers: rank = ceil(p * total / 100), at least 1. p may have one decimal (99.9).
  const scaled = BigInt(Math.round(p * 10));
  let rank = (scaled * total + 999n) / 1000n;
  if (rank < 1n) rank = 1n;
  let seen = 0n;
  for (const b of buckets) {
    seen += b.count;
    if (seen >= rank) return b;
  }
  return buckets[buckets.length - 1] ?? null;
}
