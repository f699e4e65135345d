// The JSON stored in hist.counts and rollup.counts: {"<bucket id>": count, ...}, ids ascending.

/** bucket id -> count */
export type BucketCounts = Map<number, bigint>;

/** Serialises counts to the stored JSON; zero counts are left out. */
export function countsToJson(counts: BucketCounts): string {
  const ids = [...counts.keys()].sort((a, b) => a - b);
  const parts: string[] = [];
  for (const id of ids) {
    const n = counts.get(id)!;
    if (n !== 0n) parts.push(`"${id}":${n}`);
  }
  return `{${parts.join(',')}}`;
}

/** Parses stored JSON without losing integers beyond 2^53. */
export function countsFromJson(json: string): BucketCounts {
  const counts: BucketCounts = new Map();
  for (const m of json.matchAll(/"(\d+)":(-?\d+)/g)) counts.set(Number(m[1]), BigInt(m[2]!));
  return counts;
}

/** Adds b into a. */
export function addCounts(a: BucketCounts, b: BucketCounts): void {
  for (const [id, n] of b) a.set(id, (a.get(id) ?? 0n) + n);
}
