// What `heat-record info` reports about a recording: metadata, time covered, keys with totals,
// overall and per-key percentiles, health. Plain data: the command prints it as text or JSON.
// Totals and percentiles are of the heat, positive counts; negative counts (D weights) are
// summed apart (schemas/negative-counts.ts).

import { endReasonWords, type Unit } from '../../schemas/format.js';
import { heatOf } from '../../schemas/negative-counts.js';
import type { Mark } from '../../schemas/marks.js';
import { percentileBucket, type CountedBucket } from '../model/percentile.js';
import { compareBuckets, type RecordingReader } from '../store/recording-reader.js';

/** Bounds in the recording's unit; null is an open end. */
export interface BucketRange {
  lo: bigint | null;
  hi: bigint | null;
}

export interface KeySummary {
  aggregation: string;
  key: string;
  keyParts: string[];
  total: bigint;
  p50: BucketRange | null;
  p99: BucketRange | null;
}

export interface RecordingSummary {
  file: string;
  formatVersion: number;
  unit: Unit;
  tracer: string;
  tracerVersion: string;
  preset: string;
  host: string;
  os: string;
  kernel: string;
  start: string;
  end: string | null;
  /** meta.end_reason, and the same in words. */
  endReason: string | null;
  endedBy: string | null;
  status: string;
  /** Seconds recorded (rows in `second`), seconds missed inside the recording, and its span. */
  seconds: number;
  missedSeconds: number;
  spanSeconds: number;
  events: bigint;
  p50: BucketRange | null;
  p99: BucketRange | null;
  keys: KeySummary[];
  health: Record<string, number>;
  /** The marks in time order (schemas/marks.ts); none for a file made before marks. Added for issue 13. */
  marks: MarkSummary[];
  /** heat-record --stacks: which stacks, from which value, and how many events carry one; null without. Added for issue 15. */
  stacks: StacksSummary | null;
  /** The negative counts (D weights), left out of events, totals and percentiles; null when none. */
  negative: NegativeSummary | null;
}

export interface NegativeSummary {
  /** Cells (second, key, bucket) holding a negative count. */
  cells: number;
  /** Their sum (negative). */
  sum: bigint;
}

export interface StacksSummary {
  /** meta.stacks: user | kernel | user+kernel. */
  kinds: string;
  /** meta.stacks_above, in the recording's unit (0: every event). */
  above: bigint;
  /** Distinct stacks stored. */
  distinct: number;
  /** Events that carry a stack (the rest were below the threshold). */
  events: bigint;
}

/** A mark with its times as ISO text and as seconds since the start. */
export interface MarkSummary extends Mark {
  at: string;
  end: string | null;
  /** Seconds since the start (fractional). */
  atS: number;
  endS: number | null;
}

export function summarizeRecording(reader: RecordingReader): RecordingSummary {
  const meta = reader.meta();
  const seconds = reader.seconds();
  const span = seconds.length === 0 ? 0 : seconds[seconds.length - 1]!.t + 1;
  const { overall, perSeries, negative } = groupTotals(reader);
  const keys = reader.series().map((s) => {
    const buckets = perSeries.get(s.id) ?? [];
    return {
      aggregation: s.aggregation,
      key: s.key,
      keyParts: s.keyParts,
      total: sum(buckets),
      p50: range(percentileBucket(buckets, 50)),
      p99: range(percentileBucket(buckets, 99)),
    };
  });
  keys.sort((a, b) => (b.total > a.total ? 1 : b.total < a.total ? -1 : 0));
  const health: Record<string, number> = {};
  for (const h of reader.health()) health[h.kind] = (health[h.kind] ?? 0) + h.count;
  return {
    file: reader.path,
    formatVersion: reader.formatVersion,
    unit: meta.unit,
    tracer: meta.tracer,
    tracerVersion: meta.tracer_version,
    preset: meta.preset,
    host: meta.host,
    os: meta.os,
    kernel: meta.kernel,
    start: meta.start_time,
    end: meta.end_time || isoTime(meta.end_ms),
    endReason: meta.end_reason || null,
    endedBy: endReasonWords(meta.end_reason),
    status: meta.status,
    seconds: seconds.length,
    missedSeconds: span - seconds.length,
    spanSeconds: span,
    events: sum(overall),
    p50: range(percentileBucket(overall, 50)),
    p99: range(percentileBucket(overall, 99)),
    keys,
    health,
    marks: reader.marks().map((m) => summarizeMark(m, reader.startMs)),
    stacks: summarizeStacks(reader),
    negative: negative.cells ? negative : null,
  };
}

function summarizeStacks(reader: RecordingReader): StacksSummary | null {
  const meta = reader.meta();
  if (!meta.stacks) return null;
  let events = 0n;
  for (const row of reader.stackCounts()) events += row.n;
  return {
    kinds: meta.stacks,
    above: /^\d+$/.test(meta.stacks_above ?? '') ? BigInt(meta.stacks_above!) : 0n,
    distinct: reader.stacks().size,
    events,
  };
}

/** The heat by bucket, overall and per series, and the negative counts summed apart. */
function groupTotals(reader: RecordingReader): {
  overall: CountedBucket[];
  perSeries: Map<number, CountedBucket[]>;
  negative: NegativeSummary;
} {
  const bounds = new Map(reader.buckets().map((b) => [b.id, b]));
  const overall = new Map<number, CountedBucket>();
  const heat = new Map<number, Map<number, CountedBucket>>();
  const negative = { cells: 0, sum: 0n };
  const add = (into: Map<number, CountedBucket>, id: number, n: bigint) => {
    const b = bounds.get(id)!;
    const c = into.get(id) ?? { lo: b.lo, hi: b.hi, count: 0n };
    c.count += n;
    into.set(id, c);
  };
  for (const row of reader.counts()) {
    if (row.n < 0n) {
      negative.cells++;
      negative.sum += row.n;
    }
    let own = heat.get(row.seriesId);
    if (!own) heat.set(row.seriesId, (own = new Map()));
    add(own, row.bucketId, heatOf(row.n));
    add(overall, row.bucketId, heatOf(row.n));
  }
  const perSeries = new Map(
    [...heat].map(([id, own]) => [id, [...own.values()].sort(compareBuckets)]),
  );
  return { overall: [...overall.values()].sort(compareBuckets), perSeries, negative };
}

function summarizeMark(m: Mark, startMs: number): MarkSummary {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const s = (ms: number | null) => (ms === null ? null : (ms - startMs) / 1000);
  return { ...m, at: iso(m.atMs)!, end: iso(m.endMs), atS: s(m.atMs)!, endS: s(m.endMs) };
}

/** end_ms as an ISO time, for files that keep only the number. */
function isoTime(ms: string | undefined): string | null {
  const n = Number(ms);
  return ms && Number.isFinite(n) ? new Date(n).toISOString() : null;
}

function sum(buckets: CountedBucket[]): bigint {
  return buckets.reduce((s, b) => s + b.count, 0n);
}

function range(b: CountedBucket | null): BucketRange | null {
  return b ? { lo: b.lo, hi: b.hi } : null;
}
