// Values as people read them, in the recording's unit: 1536 µs -> "1.54 ms", 2e9 ns -> "2 s",
// and bucket ranges in the same units: [524288, 1048575] µs -> "524 ms – 1.05 s", "< 0 µs", "≥ 100 µs".

import { NS_PER_UNIT, unitLabel, type Unit } from '../../../schemas/format.js';

const TIME_UNITS: readonly { unit: Unit; ns: number }[] = [
  { unit: 's', ns: 1e9 },
  { unit: 'ms', ns: 1e6 },
  { unit: 'us', ns: 1e3 },
  { unit: 'ns', ns: 1 },
];

/** Up to 3 significant digits, without trailing zeros: 1.5, 12, 1020, 0.25. */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 1000) return groupThousands(Math.round(x));
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return String(Number(x.toFixed(digits)));
}

/** A count with thousands separators: 1234567 -> "1,234,567". */
export function formatCount(n: number): string {
  return groupThousands(Math.round(n));
}

/** Commas every three digits (toLocaleString is far slower, and varies with the locale). */
function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A value in `unit`, rescaled to the largest time unit it reaches: formatValue(1536, 'us') is
 * "1.54 ms". Plain numbers for the `count` unit get k/M/G suffixes.
 */
export function formatValue(value: number, unit: Unit): string {
  const nsPer = NS_PER_UNIT[unit];
  if (nsPer === null) return formatSi(value);
  const ns = value * nsPer;
  const abs = Math.abs(ns);
  const best = TIME_UNITS.find((u) => abs >= u.ns) ?? TIME_UNITS[TIME_UNITS.length - 1]!;
  if (value === 0) return `0 ${unitLabel(unit)}`;
  return `${formatNumber(ns / best.ns)} ${unitLabel(best.unit)}`;
}

function formatSi(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${formatNumber(value / 1e9)}G`;
  if (abs >= 1e6) return `${formatNumber(value / 1e6)}M`;
  if (abs >= 1e4) return `${formatNumber(value / 1e3)}k`;
  return formatNumber(value);
}

/**
 * A bucket as a range in the best unit for each end: [524288, 1048575] µs is "524 ms – 1.05 s".
 * The upper end is hi + 1, where the bucket stops: tracers truncate to whole units, so 1048575.9 µs
 * lands in it. Decimal units, as on the latency axis (its "1 s" tick is 1,000,000 µs, below this
 * bucket's top), not bpftrace's binary 512K/1M. One-value buckets print the value: "0 µs".
 */
export function formatBucketBounds(lo: number | null, hi: number | null, unit: Unit): string {
  if (lo === null && hi === null)
    return unit === 'count' ? 'any value' : `any value in ${unitLabel(unit)}`;
  if (lo === null) return `< ${formatValue(hi! + 1, unit)}`;
  if (hi === null) return `≥ ${formatValue(lo, unit)}`;
  return lo === hi
    ? formatValue(lo, unit)
    : `${formatValue(lo, unit)} – ${formatValue(hi + 1, unit)}`;
}
