// What flows from tracer to store: one Snapshot per second, each a set of histograms.
// Bounds and counts are bigint because DTrace prints signed 64-bit values (±2^63) that a JS
// number cannot hold exactly.

import type { HealthKind, SchemeName } from '../../schemas/format.js';

/** One histogram bucket. Bounds are inclusive, in the recording's unit; null = open end. */
export interface Bucket {
  lo: bigint | null;
  hi: bigint | null;
  count: bigint;
}

/** One aggregation entry: @name[key...] = hist(...) as printed for one interval. */
export interface Histogram {
  /** Aggregation name as written in the script, with its @ (bpftrace "@lat_us", D "@lat_ns", keyless "@"). */
  aggregation: string;
  /** The key tuple, each element as printed ([] for a keyless aggregation). */
  key: string[];
  scheme: SchemeName;
  /** Buckets in ascending order; parsers drop zero-count buckets. */
  buckets: Bucket[];
  /**
   * Stack histograms only (heat-record --stacks): the code path of these events, frame names
   * outermost first (schemas/recording.sql, table stack). The histogram is the part of the
   * series `aggregation`/`key` whose events had this stack.
   */
  frames?: readonly string[];
}

export type { HealthKind };

/** Something the tracer reported about itself: kept in the recording, never only printed. */
export interface HealthEvent {
  kind: HealthKind;
  message: string;
  /** How many (events dropped, seconds missed); 1 when it is a single message. */
  count: number;
}

/** Everything one second produced. */
export interface Snapshot {
  /** Whole seconds since the recording's start (second 0 covers the first second after attach). */
  t: number;
  /** Wall clock when the snapshot was taken, Unix ms. */
  wallMs: number;
  histograms: Histogram[];
  /** heat-record --stacks: per stack, the events of a series (above the threshold) that had it. */
  stacks?: Histogram[];
  health: HealthEvent[];
  /** True for the last second when recording stopped part-way through it. */
  partial: boolean;
  /** The tracer's monotonic clock (ns) when it closed this second, when it reports one. */
  tickNs?: bigint | null;
}

/** A histogram's total count. */
export function histogramTotal(h: Histogram): bigint {
  let total = 0n;
  for (const b of h.buckets) total += b.count;
  return total;
}
