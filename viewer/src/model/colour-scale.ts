// Count -> colour position. The default (log) keeps a single outlier visible beside a band of
// thousands; rank spreads colours evenly over the values on screen; linear is there for
// comparing magnitudes. A clamp caps the top so one hot cell does not wash out the rest.
// Positions run 0..1; an empty cell (value 0) has none (-1) and is painted as background.

export type ColourScaleKind = 'log' | 'rank' | 'linear';

export const COLOUR_SCALES: readonly ColourScaleKind[] = ['log', 'rank', 'linear'];

export interface ColourScaleSpec {
  kind: ColourScaleKind;
  /** Values at or above this take the top colour; null: the largest value shown. @default null */
  clamp: number | null;
}

export interface ColourScale {
  readonly kind: ColourScaleKind;
  /** Smallest and largest non-zero value the scale spans (hi is the clamp when set). */
  readonly lo: number;
  readonly hi: number;
  /** Position 0..1 of a value, or -1 for 0 (nothing there). */
  position(v: number): number;
  /** The value at a position (inverse of position, for legends). */
  valueAt(p: number): number;
}

/** Fits a scale to the non-zero values on screen. */
export function fitColourScale(values: ArrayLike<number>, spec: ColourScaleSpec): ColourScale {
  let lo = Infinity;
  let hi = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > 0 && v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === 0) lo = hi = 1;
  if (spec.clamp !== null && spec.clamp > 0) {
    hi = spec.clamp;
    lo = Math.min(lo, hi);
  }
  if (spec.kind === 'rank') return rankScale(values, lo, hi);
  return spec.kind === 'log' ? logScale(lo, hi) : linearScale(lo, hi);
}

/** ln(v / lo) / ln(hi / lo): the smallest value gets the first colour, equal ratios equal steps. */
export function logScale(lo: number, hi: number): ColourScale {
  const span = Math.log(hi / lo);
  return {
    kind: 'log',
    lo,
    hi,
    position: (v) =>
      v <= 0 ? -1 : v >= hi ? 1 : v <= lo || span === 0 ? 0 : Math.log(v / lo) / span,
    valueAt: (p) => lo * Math.exp(p * span),
  };
}

/** v / hi: proportional to the count. A count of 1 still gets the first colour, never background. */
export function linearScale(lo: number, hi: number): ColourScale {
  return {
    kind: 'linear',
    lo,
    hi,
    position: (v) => (v <= 0 ? -1 : Math.min(1, v / hi)),
    valueAt: (p) => p * hi,
  };
}

/** The rank of v among the distinct non-zero values on screen, spread over 0..1. */
export function rankScale(values: ArrayLike<number>, lo: number, hi: number): ColourScale {
  const distinct = distinctCapped(values, hi);
  const last = Math.max(1, distinct.length - 1);
  return {
    kind: 'rank',
    lo,
    hi,
    position: (v) => (v <= 0 ? -1 : v >= hi ? 1 : lowerBound(distinct, v) / last),
    valueAt: (p) => distinct[Math.round(p * last)] ?? hi,
  };
}

/** Sorted distinct non-zero values, each capped at hi. */
function distinctCapped(values: ArrayLike<number>, hi: number): Float64Array {
  const all = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > 0) all[n++] = Math.min(values[i]!, hi);
  const sorted = all.subarray(0, n).sort();
  let m = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[m++] = sorted[i]!;
  return sorted.slice(0, m);
}

/** Index of the first element >= v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (sorted[mid]! < v) a = mid + 1;
    else b = mid;
  }
  return a;
}

/**
 * Values to label a legend with, and where they sit (0..1). Ends are always labelled; a label
 * closer than `minGap` to a kept neighbour is dropped.
 */
export function legendTicks(
  scale: ColourScale,
  maxTicks = 5,
  minGap = 0,
): { value: number; position: number }[] {
  const values =
    scale.kind === 'log'
      ? logLegendValues(scale.lo, scale.hi)
      : scale.kind === 'rank'
        ? evenPositions(maxTicks).map((p) => scale.valueAt(p))
        : linearLegendValues(scale.hi, maxTicks);
  const seen = new Set<number>();
  const ticks = values
    .filter((v) => !seen.has(v) && seen.add(v))
    .map((value) => ({ value, position: value === 0 ? 0 : scale.position(value) }));
  return spaceOut(ticks, minGap);
}

function spaceOut<T extends { position: number }>(ticks: T[], minGap: number): T[] {
  const last = ticks[ticks.length - 1];
  const kept: T[] = [];
  for (const t of ticks) {
    const tooCloseToLast = t !== last && last !== undefined && last.position - t.position < minGap;
    const prev = kept[kept.length - 1];
    if (!tooCloseToLast && (!prev || t.position - prev.position >= minGap || t === last))
      kept.push(t);
  }
  return kept;
}

function evenPositions(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i / (n - 1));
}

function logLegendValues(lo: number, hi: number): number[] {
  const out = [lo];
  for (let p = 10 ** Math.ceil(Math.log10(lo)); p < hi; p *= 10)
    if (p > lo) out.push(Number(p.toPrecision(12)));
  if (hi > lo) out.push(hi);
  return out;
}

function linearLegendValues(hi: number, maxTicks: number): number[] {
  const out = [0];
  for (let i = 1; i < maxTicks - 1; i++)
    out.push(Number(((hi * i) / (maxTicks - 1)).toPrecision(2)));
  out.push(hi);
  return out;
}
