import { describe, expect, test } from 'vitest';
import type { Bucket } from '../../cli/model/snapshot.js';
import { areBucketsAscending, inferScheme } from '../../cli/parse/bucket-scheme.js';

/** Buckets from [lo, hi] pairs (inclusive, null = open); counts do not matter to the scheme. */
function buckets(...pairs: [number | bigint | null, number | bigint | null][]): Bucket[] {
  const big = (v: number | bigint | null) => (v === null ? null : BigInt(v));
  return pairs.map(([lo, hi]) => ({ lo: big(lo), hi: big(hi), count: 1n }));
}

/** bpftrace hist(n, k) bounds from 0 up to (not including) `end`: values below 2^k alone, then 2^k sub-buckets per power of two. */
function log2SubBuckets(k: number, end: number): Bucket[] {
  const pairs: [number, number][] = [];
  for (let lo = 0; lo < end;) {
    const width = lo < 2 ** k ? 1 : 2 ** (Math.floor(Math.log2(lo)) - k);
    pairs.push([lo, lo + width - 1]);
    lo += width;
  }
  return buckets(...pairs);
}

describe('inferScheme', () => {
  test('log2: hist() bounds as bpftrace prints them, with underflow and the 0.17 top bucket', () => {
    const b = buckets(
      [null, -1],
      [0, 0],
      [1, 1],
      [2, 3],
      [4, 7],
      [8, 15],
      [1024, 2047],
      [2n ** 31n, null],
    );
    expect(inferScheme(b)).toBe('log2');
  });

  test('log2: [0,0] and [1,1] alone, and a lone power-of-two bucket', () => {
    expect(inferScheme(buckets([0, 0], [1, 1]))).toBe('log2');
    expect(inferScheme(buckets([512, 1023]))).toBe('log2');
    expect(inferScheme(buckets([2n ** 40n, 2n ** 41n - 1n]))).toBe('log2');
  });

  test('log2/K: bpftrace 0.20+ hist(n, 3) from tests/runtime/outputs/hist_2args.json (0..1023)', () => {
    const b = log2SubBuckets(3, 1024);
    expect(b.slice(15, 19)).toEqual(buckets([15, 15], [16, 17], [18, 19], [20, 21]));
    expect(b.at(-1)).toEqual({ lo: 960n, hi: 1023n, count: 1n });
    expect(inferScheme(b)).toBe('log2/3');
  });

  test('log2/K: {16,17},{18,19} alone is hist(n, 3); the smallest K that fits wins', () => {
    expect(inferScheme(buckets([16, 17], [18, 19]))).toBe('log2/3');
    expect(inferScheme(buckets([2, 2], [3, 3], [4, 5], [6, 7], [8, 11]))).toBe('log2/1');
    expect(inferScheme(log2SubBuckets(5, 4096))).toBe('log2/5');
  });

  test('linear: lhist(v, 0, 100, 10) with "(..., 0)" and "[100, ...)" (01-lhist)', () => {
    const tens = Array.from({ length: 10 }, (_, i): [number, number] => [i * 10, i * 10 + 9]);
    expect(inferScheme(buckets([null, -1], ...tens, [100, null]))).toBe('linear');
  });

  test('linear: lhist(v, 0, 4096, 512) keyed by comm (04-keyed-str), negative ranges, the 0.17 32-bit lhist', () => {
    const steps = Array.from({ length: 7 }, (_, i): [number, number] => [
      512 * (i + 1),
      512 * (i + 2) - 1,
    ]);
    expect(inferScheme(buckets(...steps, [4096, null]))).toBe('linear');
    expect(inferScheme(buckets([-100, -91], [-90, -81], [-80, -71]))).toBe('linear');
    expect(inferScheme(buckets([705032704, 1705032703]))).toBe('linear');
    expect(inferScheme(buckets([null, 9], [10, 19]))).toBe('linear');
  });

  test('log-linear: llquantize(v, 10, 0, 2, 10) style, width ×10 per decade', () => {
    const ones = Array.from({ length: 9 }, (_, i): [number, number] => [i + 1, i + 1]);
    const tens = Array.from({ length: 9 }, (_, i): [number, number] => [
      (i + 1) * 10,
      (i + 1) * 10 + 9,
    ]);
    expect(
      inferScheme(buckets([0, 0], ...ones, ...tens, [100, 199], [200, 299], [1000, null])),
    ).toBe('log-linear');
  });

  test('unknown: irregular widths, overlaps, a log2 body with an off-grid overflow, nothing finite', () => {
    expect(inferScheme(buckets([0, 9], [10, 29], [30, 69]))).toBe('unknown');
    expect(inferScheme(buckets([0, 9], [5, 14]))).toBe('unknown');
    expect(inferScheme(buckets([512, 1023], [4000, null]))).toBe('unknown');
    expect(inferScheme(buckets([4096, null]))).toBe('unknown');
    expect(inferScheme(buckets([null, -1]))).toBe('unknown');
    expect(inferScheme([])).toBe('unknown');
    expect(inferScheme(buckets([5, 4]))).toBe('unknown');
  });

  test('a log2 underflow must end at -1', () => {
    expect(inferScheme(buckets([null, -1], [0, 0], [1, 1], [2, 3]))).toBe('log2');
    expect(inferScheme(buckets([null, -2], [0, 0], [1, 1], [2, 3]))).not.toBe('log2');
  });
});

describe('areBucketsAscending', () => {
  test('ascending, touching and gapped buckets pass; overlaps, reversals and inner open ends fail', () => {
    expect(
      areBucketsAscending(buckets([null, -1], [0, 0], [1, 1], [8, 15], [2n ** 31n, null])),
    ).toBe(true);
    expect(areBucketsAscending([])).toBe(true);
    expect(areBucketsAscending(buckets([0, 9], [9, 19]))).toBe(false);
    expect(areBucketsAscending(buckets([10, 19], [0, 9]))).toBe(false);
    expect(areBucketsAscending(buckets([0, null], [10, 19]))).toBe(false);
    expect(areBucketsAscending(buckets([0, 9], [null, 19]))).toBe(false);
  });
});
