// The synthetic tracer's latency model: per key a mixture of two log-normal paths (fast and
// slow), a slow drift, and rare spikes, turned into log2-bucket counts per second. Seeded and
// deterministic: the same seed gives the same recording on every machine.

import type { Bucket, Histogram } from '../model/snapshot.js';

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; enough for demo data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface KeyProfile {
  key: string;
  /** Mean events per second. */
  rate: number;
  /** Median latency of the fast and slow paths, in µs. */
  fastUs: number;
  slowUs: number;
  /** Share of events on the slow path. */
  slowShare: number;
  /** Log-normal shape (σ of ln latency). */
  sigma: number;
  /** Period of the slow drift, in seconds. */
  driftPeriod: number;
}

const NAMES = [
  'read',
  'write',
  'futex',
  'epoll_wait',
  'openat',
  'close',
  'recvfrom',
  'sendto',
  'fstat',
  'mmap',
  'poll',
  'ioctl',
  'nanosleep',
  'clock_nanosleep',
  'pread64',
  'pwrite64',
  'fsync',
  'getdents64',
  'accept4',
  'connect',
];

/** Key profiles for `count` keys: rates and latencies spread over several orders of magnitude. */
export function keyProfiles(count: number, random: () => number): KeyProfile[] {
  const profiles: KeyProfile[] = [];
  for (let i = 0; i < count; i++) {
    const name =
      i < NAMES.length ? NAMES[i]! : `${NAMES[i % NAMES.length]}_${Math.floor(i / NAMES.length)}`;
    const fastUs = 2 ** (random() * 6); // 1 µs .. 64 µs
    profiles.push({
      key: name,
      rate: Math.round(20 + 2000 * random() ** 2),
      fastUs,
      slowUs: fastUs * 2 ** (4 + random() * 6), // 16x .. 1024x slower
      slowShare: 0.02 + 0.25 * random(),
      sigma: 0.35 + 0.4 * random(),
      driftPeriod: 120 + Math.floor(random() * 600),
    });
  }
  return profiles;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Log2 buckets [0,0], [1,1], [2,3] ... [2^k, 2^(k+1)-1] as bpftrace's hist() prints them, up to 2^31. */
const LOG2_EDGES: number[] = [0, 1, ...Array.from({ length: 31 }, (_, k) => 2 ** (k + 1))];

/** Counts per log2 bucket for `n` events drawn from a log-normal with median `medianUs`. */
export function lognormalCounts(
  n: number,
  medianUs: number,
  sigma: number,
  random: () => number,
): number[] {
  const counts = new Array<number>(LOG2_EDGES.length).fill(0);
  if (n <= 0) return counts;
  const mu = Math.log(medianUs);
  let prev = 0;
  let assigned = 0;
  for (let i = 0; i < LOG2_EDGES.length; i++) {
    const upper = i + 1 < LOG2_EDGES.length ? LOG2_EDGES[i + 1]! : Infinity;
    const cdf = upper === Infinity ? 1 : normalCdf((Math.log(upper) - mu) / sigma);
    // Stochastic rounding keeps rare buckets (the outliers a heat map must show) appearing now and then.
    const expected = (cdf - prev) * n;
    const c = Math.min(n - assigned, Math.floor(expected + random()));
    counts[i] = c;
    assigned += c;
    prev = cdf;
  }
  return counts;
}

/** One key's histogram for second t. */
export function keyHistogram(
  p: KeyProfile,
  t: number,
  spike: boolean,
  random: () => number,
): Histogram {
  const drift = 2 ** (0.8 * Math.sin((2 * Math.PI * t) / p.driftPeriod));
  const n = Math.max(0, Math.round(p.rate * (0.85 + 0.3 * random())));
  const slow = Math.round(n * (spike ? Math.min(0.9, p.slowShare * 6) : p.slowShare));
  const fast = lognormalCounts(n - slow, p.fastUs * drift, p.sigma, random);
  const slowCounts = lognormalCounts(slow, p.slowUs * drift * (spike ? 8 : 1), p.sigma, random);
  const buckets: Bucket[] = [];
  for (let i = 0; i < LOG2_EDGES.length; i++) {
    const count = fast[i]! + slowCounts[i]!;
    if (count === 0) continue;
    const lo = LOG2_EDGES[i]!;
    const hi = i + 1 < LOG2_EDGES.length ? LOG2_EDGES[i + 1]! - 1 : null;
    buckets.push({ lo: BigInt(lo), hi: hi === null ? null : BigInt(hi), count: BigInt(count) });
  }
  return { aggregation: '@lat_us', key: [p.key], scheme: 'log2', buckets };
}
