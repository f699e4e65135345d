// Recognises the header of a dtrace(1) distribution table, and the alternative layouts that
// options turn on (agghist, aggpack, aggzoom, encoding=utf8). Those draw the same data in ways
// this parser does not read, so they are named and refused rather than half-parsed.

import { HeatError } from '../model/heat-error.js';
import type { DtraceRow } from './dtrace-rows.js';

/** `           value  ------------- Distribution ------------- count    ` (dash split varies by release). */
const VALUE_HEADER = /^\s*value\s+-+\s*Distribution\s*-+\s+count\s*$/;
/** agghist: the label column holds keys. `              key  ---- Distribution ---- count    ` */
const AGGHIST_HEADER = /^\s*key\s+-+\s*Distribution\s*-+\s+count\s*$/;
/** aggpack: `      key     min .------------------. max      | count` */
const AGGPACK_HEADER = /^\s*(?:key\s+)?min\s+\.-*\.\s+max\s+\|\s*count\s*$/;

/** DTRACE_AGGZOOM_MAX: with aggzoom the largest bar fills 95% of the field. */
const AGGZOOM_MAX = 0.95;

export type LayoutOption = 'agghist' | 'aggpack' | 'aggzoom' | 'encoding=utf8';

/** True for the header line that starts a default-layout distribution table. */
export function isTableHeader(text: string): boolean {
  return VALUE_HEADER.test(text);
}

/** The layout option a header line belongs to, or null if it is not such a header. */
export function otherLayoutHeader(text: string): LayoutOption | null {
  if (AGGHIST_HEADER.test(text)) return 'agghist';
  if (AGGPACK_HEADER.test(text)) return 'aggpack';
  return null;
}

/** The error for output drawn with a layout option we do not read. */
export function layoutError(line: number, option: LayoutOption): HeatError {
  return new HeatError(
    `DTrace output line ${line} is drawn with the ${option} option, which heat-record cannot read`,
    `record without ${option} (remove "#pragma D option ${option}" or "-x ${option}"): the default layout carries the same counts`,
  );
}

/**
 * Throws if the table's bars were scaled by aggzoom. dtrace draws a bar round(|count| × len / Σ|count|)
 * cells long (dt_print_quantline); with aggzoom the largest one fills 95% of len or more instead.
 * Only the largest bar is checked, with one cell of slack for long double rounding and normalize().
 */
export function assertNotZoomed(rows: readonly DtraceRow[]): void {
  const top = largestRow(rows);
  const total = rows.reduce((sum, r) => sum + abs(r.count), 0n);
  if (!top || total === 0n) return;
  const expected = Number((abs(top.count) * BigInt(top.barLength) * 2n + total) / (2n * total));
  const zoomed = Math.round(top.barLength * AGGZOOM_MAX);
  if (top.depth - expected >= 2 && top.depth >= zoomed - 1) throw layoutError(top.line, 'aggzoom');
}

function largestRow(rows: readonly DtraceRow[]): DtraceRow | undefined {
  let top: DtraceRow | undefined;
  for (const r of rows) if (!top || abs(r.count) > abs(top.count)) top = r;
  return top;
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}
