// Reads one stored `counts` value (hist.counts, rollup.counts) strictly: a JSON object from
// bucket id to a signed 64-bit count, as the writer stores it ({"12":340,"13":-2}), nothing else.
// Returns the counts, or why the value is not that, in words for a one-line error.

import { MAX_BUCKET_ID, MAX_COUNT, MIN_COUNT } from '../../schemas/recording-limits.js';

/** `{ "<id>" : <int> , ... }`, whitespace allowed where JSON allows it. */
const WHOLE =
  /^\s*\{\s*(?:"\d{1,10}"\s*:\s*-?\d{1,20}\s*(?:,\s*"\d{1,10}"\s*:\s*-?\d{1,20}\s*)*)?\}\s*$/;
const ENTRY = /"(\d+)"\s*:\s*(-?\d+)/g;

/** bucket id -> count, or a string saying what is wrong. */
export function parseStoredCounts(value: unknown): Map<number, bigint> | string {
  if (typeof value !== 'string') return `is ${describeValue(value)}, not JSON text`;
  if (!WHOLE.test(value)) return whyNotCounts(value);
  const counts = new Map<number, bigint>();
  for (const m of value.matchAll(ENTRY)) {
    const id = Number(m[1]);
    const n = BigInt(m[2]!);
    if (id < 1 || id > MAX_BUCKET_ID) return `names bucket ${m[1]}, not a bucket id`;
    if (n < MIN_COUNT || n > MAX_COUNT) return `holds the count ${m[2]}, beyond 64 bits`;
    if (counts.has(id)) return `names bucket ${id} twice`;
    counts.set(id, n);
  }
  return counts;
}

function whyNotCounts(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `is not JSON (${quote(text)})`;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return `is JSON ${Array.isArray(parsed) ? 'array' : typeof parsed}, not an object of counts (${quote(text)})`;
  return `is not an object from bucket id to whole count (${quote(text)})`;
}

/** A short printable excerpt of a stored value. */
export function quote(text: string, max = 40): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

/** "NULL", "a number", "a blob of 3 bytes": what a value that should be text is instead. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Uint8Array) return `a blob of ${value.length} bytes`;
  return `a ${typeof value === 'bigint' ? 'number' : typeof value} (${quote(String(value))})`;
}
