// The signed 64-bit range: what DTrace prints and what SQLite stores as an integer. Values
// inside it are exact everywhere; a total of them (a second's events, a rollup sum) can leave it,
// and must then be refused in one line rather than rounded or crash the SQLite binding.

import { HeatError } from './heat-error.js';

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

/** True when n fits a signed 64-bit integer. */
export function isInt64(n: bigint): boolean {
  return n >= INT64_MIN && n <= INT64_MAX;
}

/**
 * Throws a HeatError when n is beyond the signed 64-bit range. Numbers are always in range (a
 * count is a number only while it is a safe integer), so the hot path pays one typeof.
 * @param what names the value, e.g. "second 3's total"; built only on failure
 */
export function assertInt64(n: bigint | number | null, what: () => string): void {
  if (typeof n !== 'bigint' || isInt64(n)) return;
  throw new HeatError(
    `${what()} is ${n}, beyond the signed 64-bit range a recording can hold`,
    'the input adds up past 64 bits (DTrace weights or sums that wrap); leave those aggregations out',
  );
}
