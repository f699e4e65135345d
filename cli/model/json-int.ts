// Integers in JSON: JS numbers lose digits beyond 2^53, so larger ones travel as decimal strings.

import type { JsonInt } from '../../schemas/format.js';

/** A number while exact, a decimal string beyond 2^53; null stays null. */
export function jsonInt(v: bigint | number | null): JsonInt | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : String(v);
}
