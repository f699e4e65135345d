// Turns the rows of one dtrace(1) distribution table into inclusive buckets. The table does not
// say which function drew it, so its labels decide: quantize labels are 0 and ±powers of two in
// sequence, lquantize labels sit on one grid, anything else (or a `<=` / `abs() <` label, which only
// Oracle's llquantize prints) is llquantize. Widths come from neighbouring rows, zero rows included.

import type { SchemeName } from '../../schemas/format.js';
import { HeatError } from '../model/heat-error.js';
import type { Bucket, Histogram } from '../model/snapshot.js';
import { assertNotZoomed } from './dtrace-layout.js';
import type { DtraceRow } from './dtrace-rows.js';
import type { TraceEvent } from './trace-event.js';

export type DtraceFunction = 'quantize' | 'lquantize' | 'llquantize';

/** The bucket scheme each D distribution function makes. */
export const FUNCTION_SCHEMES: Readonly<Record<DtraceFunction, SchemeName>> = {
  quantize: 'log2',
  lquantize: 'linear',
  llquantize: 'log-linear',
};

/** True for quantize, lquantize and llquantize. */
export function isDtraceFunction(name: string): name is DtraceFunction {
  return Object.hasOwn(FUNCTION_SCHEMES, name);
}

/** quantize's outermost buckets (±2^62) also hold everything beyond, down to INT64_MIN / up to INT64_MAX. */
const QUANTIZE_EDGE = 1n << 62n;

type Bounds = { lo: bigint | null; hi: bigint | null };

/**
 * The function whose labels these are. Where two fit, quantize beats lquantize beats llquantize.
 * gapped: rows of the table were skipped (garbled), so consecutive labels may have holes.
 */
export function inferFunction(rows: readonly DtraceRow[], gapped = false): DtraceFunction {
  if (rows.some((r) => r.kind === 'at-most' || r.kind === 'abs-below')) return 'llquantize';
  if (
    rows.every((r) => r.kind === 'value') &&
    isQuantizeRun(
      rows.map((r) => r.value),
      gapped,
    )
  )
    return 'quantize';
  return gridStep(rows, gapped) === undefined ? 'llquantize' : 'lquantize';
}

/**
 * A table's scheme and its non-zero buckets in ascending order.
 * Throws a HeatError naming the line when the labels cannot come from dtrace.
 */
export function tableBuckets(
  rows: readonly DtraceRow[],
  gapped = false,
): { scheme: SchemeName; buckets: Bucket[] } {
  checkOrder(rows);
  const fn = inferFunction(rows, gapped);
  const step = gridStep(rows, gapped) ?? null;
  const buckets: Bucket[] = [];
  rows.forEach((row, i) => {
    if (row.count === 0n) return;
    const b =
      fn === 'quantize'
        ? quantizeBounds(row.value)
        : fn === 'lquantize'
          ? lquantizeBounds(row, step)
          : llquantizeBounds(rows, i);
    if (!b) throw broken(row, 'its bucket width cannot be told from the rows around it');
    if (b.lo !== null && b.hi !== null && b.lo > b.hi)
      throw broken(row, 'its bucket would be empty');
    buckets.push({ ...b, count: row.count });
  });
  return { scheme: FUNCTION_SCHEMES[fn], buckets };
}

/** quantize: `v` > 0 is [v, 2v-1], 0 is [0, 0], `v` < 0 is [2v+1, v]. */
function quantizeBounds(v: bigint): Bounds {
  if (v > 0n) return { lo: v, hi: v === QUANTIZE_EDGE ? null : 2n * v - 1n };
  if (v < 0n) return { lo: v === -QUANTIZE_EDGE ? null : 2n * v + 1n, hi: v };
  return { lo: 0n, hi: 0n };
}

/** lquantize: `< b` is [-, b-1], `v` is [v, v+step-1], `>= n` is [n, -]. */
function lquantizeBounds(row: DtraceRow, step: bigint | null): Bounds | null {
  if (row.kind === 'below') return { lo: null, hi: row.value - 1n };
  if (row.kind === 'at-least') return { lo: row.value, hi: null };
  return step === null ? null : { lo: row.value, hi: row.value + step - 1n };
}

/** llquantize: a bucket runs up to the next row (or, below zero, down to the previous one). */
function llquantizeBounds(rows: readonly DtraceRow[], i: number): Bounds | null {
  const { kind, value } = rows[i]!;
  if (kind === 'below') return { lo: null, hi: value - 1n };
  if (kind === 'at-most') return { lo: null, hi: value };
  if (kind === 'at-least') return { lo: value, hi: null };
  if (kind === 'abs-below') return { lo: 1n - value, hi: value - 1n };
  if (value >= 0n) {
    const next = rows[i + 1];
    return next ? { lo: value, hi: next.value - 1n } : null;
  }
  const prev = rows[i - 1];
  return prev ? { lo: prev.value + 1n, hi: value } : null;
}

/** True when each value is the quantize bucket right after the one before: ..., -2, -1, 0, 1, 2, 4, ... (or later, when gapped) */
function isQuantizeRun(values: bigint[], gapped: boolean): boolean {
  if (!values.every(isQuantizeValue)) return false;
  return values.every(
    (v, i) => i === 0 || v === nextQuantizeValue(values[i - 1]!) || (gapped && v > values[i - 1]!),
  );
}

function isQuantizeValue(v: bigint): boolean {
  const m = v < 0n ? -v : v;
  return m === 0n || (m <= QUANTIZE_EDGE && (m & (m - 1n)) === 0n);
}

function nextQuantizeValue(v: bigint): bigint {
  if (v > 0n) return 2n * v;
  if (v === 0n) return 1n;
  return v === -1n ? 0n : v / 2n;
}

/**
 * The one distance between consecutive `v` and `>= n` labels: null when fewer than two,
 * undefined when they are not evenly spaced (so not lquantize). Gapped, the smallest distance
 * when every other is a multiple of it.
 */
function gridStep(rows: readonly DtraceRow[], gapped: boolean): bigint | null | undefined {
  const grid = rows.filter((r) => r.kind === 'value' || r.kind === 'at-least').map((r) => r.value);
  if (grid.length < 2) return null;
  const gaps = grid.slice(1).map((v, i) => v - grid[i]!);
  const step = gapped ? gaps.reduce((a, b) => (b < a ? b : a)) : gaps[0]!;
  return gaps.every((g) => g === step || (gapped && step > 0n && g % step === 0n))
    ? step
    : undefined;
}

/** Rows ascend; `<` and `<=` only open a table and `>=` only closes it; `< b` is followed by `b`. */
function checkOrder(rows: readonly DtraceRow[]): void {
  rows.forEach((row, i) => {
    const prev = rows[i - 1];
    if ((row.kind === 'below' || row.kind === 'at-most') && i > 0)
      throw broken(row, 'an underflow row must come first');
    if (row.kind === 'at-least' && i < rows.length - 1)
      throw broken(row, 'an overflow row must come last');
    if (prev && orderKey(row) <= orderKey(prev)) throw broken(row, 'rows must ascend');
    if (prev?.kind === 'below' && row.value !== prev.value)
      throw broken(row, `the row after "< ${prev.value}" must be ${prev.value}`);
  });
}

/** Twice the row's position on the number line, so `< b` sorts just before `b` and `abs() < n` at 0. */
function orderKey(row: DtraceRow): bigint {
  if (row.kind === 'abs-below') return 0n;
  return row.kind === 'below' ? 2n * row.value - 1n : 2n * row.value;
}

function broken(row: DtraceRow, why: string): HeatError {
  return new HeatError(
    `DTrace output line ${row.line}: unexpected distribution row (${why})`,
    'is this unedited dtrace(1) output?',
  );
}

/**
 * A closed distribution table as the parsers emit it: its histogram (the rows as buckets), or a
 * skipped line at its header when no row followed. Shared by the histogram and stack tables.
 */
export function closedTableEvent(
  rows: readonly DtraceRow[],
  skipped: number,
  headerLine: number,
  histogram: Omit<Histogram, 'scheme' | 'buckets'>,
): TraceEvent {
  if (rows.length === 0)
    return { type: 'skipped', line: headerLine, reason: 'distribution header without rows' };
  assertNotZoomed(rows);
  return { type: 'histogram', histogram: { ...histogram, ...tableBuckets(rows, skipped > 0) } };
}
