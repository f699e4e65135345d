// Bounds on the values a recording may hold, checked where a reader loads them (cli/store's
// typed readers, the viewer's load/) so nothing read from a file sizes an allocation or a loop
// unchecked: a `second` row with t = 9,000,000,000 is a damaged file, not a 9 GB array.
// Added in v1 (they state what the v1 writer has always written).

/** Seconds a recording may span: t runs from 0 to this, inclusive (366 days, about 31.6 MB of one-byte-per-second marks in the viewer). */
export const MAX_SECOND = 366 * 86_400 - 1;

/** Wall-clock start (meta.start_ms) from 1970 up to the year 9999, in Unix ms: any later second still has a date. */
export const MAX_START_MS = Date.UTC(9999, 0, 1);

/** Characters of one series key (key, key_json): a stack of 200 frames fits; a 2 MB key is damage. */
export const MAX_KEY_CHARS = 65_536;

/** Bucket ids are small positive integers (the writer numbers them from 1). */
export const MAX_BUCKET_ID = 2 ** 31 - 1;

/** Counts are signed 64-bit integers (DTrace's own values; weights may make them negative). */
export const MIN_COUNT = -(2n ** 63n);
export const MAX_COUNT = 2n ** 63n - 1n;

/** Whether t is a second a recording may hold. */
export function isRecordingSecond(t: unknown): t is number {
  return typeof t === 'number' && Number.isInteger(t) && t >= 0 && t <= MAX_SECOND;
}

/** Whether ms is a start time a recording may have (meta.start_ms as a number). */
export function isStartMs(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms <= MAX_START_MS;
}
