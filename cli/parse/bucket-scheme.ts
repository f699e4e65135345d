// Names the bucket scheme of a histogram from its bounds alone, for tracer output that does not say
// which function made it (bpftrace hist vs lhist look alike in JSON and text).

import type { SchemeName } from '../../schemas/format.js';
import type { Bucket } from '../model/snapshot.js';

/** bpftrace's hist(n, k) accepts k = 0..5; k = 0 is plain log2. */
const MAX_LOG2_SUB_BITS = 5;

type Finite = { lo: bigint; hi: bigint };

/**
 * The scheme the buckets fit, trying the most specific first:
 * `log2` ([0,0], [1,1], [2,3], [4,7] ...), `log2/K` (each power of two split into 2^K equal sub-buckets,
 * the smallest K that fits), `linear` (one width on one grid), `log-linear` (widths that grow by whole
 * multiples, each bucket aligned to its width, e.g. DTrace llquantize), else `unknown`.
 * Open-ended buckets do not decide the scheme but must not contradict it (a log2 underflow ends at -1,
 * a log2 overflow starts at a power of two, a linear one sits on the grid).
 * Pass every bucket the tracer printed, zero counts included: inner empty buckets carry the widths.
 * A single bucket is ambiguous; the log2 family wins ([512, 1023] is read as log2, not lhist step 512).
 */
export function inferScheme(buckets: readonly Bucket[]): SchemeName {
  const finite = buckets.filter((b): b is Bucket & Finite => b.lo !== null && b.hi !== null);
  if (finite.length === 0 || finite.some((b) => b.hi < b.lo)) return 'unknown';
  const k = log2SubBits(finite, buckets);
  if (k !== null) return k === 0 ? 'log2' : `log2/${k}`;
  if (isLinear(finite, buckets)) return 'linear';
  if (isLogLinear(finite)) return 'log-linear';
  return 'unknown';
}

/** True when each bucket starts after the previous one ends (ascending, no overlap). */
export function areBucketsAscending(buckets: readonly Bucket[]): boolean {
  for (let i = 1; i < buckets.length; i++)
    if (!followsBucket(buckets[i - 1]!, buckets[i]!)) return false;
  return true;
}

/** True when `next` starts above where `previous` ends (neither open on the side they meet). */
export function followsBucket(previous: Bucket, next: Bucket): boolean {
  return previous.hi !== null && next.lo !== null && next.lo > previous.hi;
}

/** The K of the log2/K family all buckets fit (0 = plain log2), or null. */
function log2SubBits(finite: Finite[], all: readonly Bucket[]): number | null {
  if (!openEndsFitLog2(all)) return null;
  for (let k = 0; k <= MAX_LOG2_SUB_BITS; k++) {
    if (finite.every((b) => fitsLog2Sub(b, k))) return k;
  }
  return null;
}

/** Below 2^k every value has its own bucket; from 2^p up (p ≥ k) buckets are 2^(p-k) wide. */
function fitsLog2Sub(b: Finite, k: number): boolean {
  if (b.lo < 0n) return false;
  const width = b.hi - b.lo + 1n;
  if (b.lo < 1n << BigInt(k)) return width === 1n;
  const p = floorLog2(b.lo);
  const expected = 1n << BigInt(p - k);
  return width === expected && (b.lo - (1n << BigInt(p))) % expected === 0n;
}

function openEndsFitLog2(all: readonly Bucket[]): boolean {
  return all.every((b) => {
    if (b.lo === null) return b.hi === -1n;
    if (b.hi === null) return isPowerOfTwo(b.lo);
    return true;
  });
}

/** One width, every bound on the grid lo0 + i·width (open ends included). */
function isLinear(finite: Finite[], all: readonly Bucket[]): boolean {
  const lo0 = finite[0]!.lo;
  const width = finite[0]!.hi - lo0 + 1n;
  const onGrid = (v: bigint) => (((v - lo0) % width) + width) % width === 0n;
  if (!finite.every((b) => b.hi - b.lo + 1n === width && onGrid(b.lo))) return false;
  return all.every((b) =>
    b.lo === null ? onGrid(b.hi! + 1n) : b.hi === null ? onGrid(b.lo) : true,
  );
}

/** Non-decreasing widths, more than one of them, each dividing the next, each bucket aligned to its width. */
function isLogLinear(finite: Finite[]): boolean {
  const widths = finite.map((b) => b.hi - b.lo + 1n);
  if (new Set(widths).size < 2) return false;
  return finite.every((b, i) => {
    const w = widths[i]!;
    const prev = i === 0 ? w : widths[i - 1]!;
    return w >= prev && w % prev === 0n && b.lo % w === 0n;
  });
}

function isPowerOfTwo(v: bigint): boolean {
  return v > 0n && (v & (v - 1n)) === 0n;
}

/** floor(log2(v)) for v ≥ 1. */
function floorLog2(v: bigint): number {
  return v.toString(2).length - 1;
}
