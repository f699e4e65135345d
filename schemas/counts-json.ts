// The counts as stored in hist.counts, rollup.counts and stack_hist.counts (recording.sql):
// {"<bucket id>": count, ...}, zeros left out. The one writer of that text, for
// the recorder (cli/store) and the viewer (its rollups and live seconds). Counts beyond 2^53 are
// bigints and are written with every digit, as JSON integers (SQLite's json_each reads them).

/** A count: a number while it is an exact (safe) integer, a bigint beyond. */
export type Count = number | bigint;

/**
 * The stored JSON of the counts that `each` hands to `add`, in the order handed (ascending ids,
 * or a histogram's ascending bounds as parsed); zeros are left out.
 * @example countsJson((add) => { add(12, 340); add(13, 0); add(14, 2n ** 60n); })
 *   // '{"12":340,"14":1152921504606846976}'
 */
export function countsJson(each: (add: (id: number, n: Count) => void) => void): string {
  let json = '';
  each((id, n) => {
    if (n !== 0 && n !== 0n) json += `${json ? ',' : ''}"${id}":${n}`;
  });
  return `{${json}}`;
}
