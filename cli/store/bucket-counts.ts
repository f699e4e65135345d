// The JSON stored in hist.counts and rollup.counts: {"<bucket id>": count, ...}.
// Counts are plain numbers while they are exact (every realistic count) and bigint beyond 2^53
// (DTrace can print ±2^63): numbers keep the once-a-second path free of heap allocations.

import { countsJson, type Count } from '../../schemas/counts-json.js';

export type { Count };

/** bucket id -> count */
export type BucketCounts = Map<number, Count>;

/** a + b, exact: a number while the sum is a safe integer, else a bigint. */
export function addCount(a: Count, b: Count): Count {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  return BigInt(a) + BigInt(b);
}

/** A parsed count as the cheapest exact value. */
export function toCount(n: bigint): Count {
  // Number() rounds anything at or beyond 2^53 to a value that is no longer a safe integer.
  const x = Number(n);
  return Number.isSafeInteger(x) ? x : n;
}

/** Serialises counts to the stored JSON, in the map's order (ascending bounds as parsed); zeros are left out. */
export function countsToJson(counts: BucketCounts): string {
  return countsJson((add) => counts.forEach((n, id) => add(id, n)));
}

/** Parses stored JSON without losing integers beyond 2^53. */
export function countsFromJson(json: string): Map<number, bigint> {
  const counts = new Map<number, bigint>();
  for (const m of json.matchAll(/"(\d+)":(-?\d+)/g)) counts.set(Number(m[1]), BigInt(m[2]!));
  return counts;
}
