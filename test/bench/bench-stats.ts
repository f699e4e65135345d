// Order statistics for bench samples.

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/** Nearest rank: the smallest sample at or above 95 % of them. */
export function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] ?? NaN;
}

/** One decimal, for names of bench rows. */
export function fmt(x: number): string {
  return x.toFixed(1);
}
