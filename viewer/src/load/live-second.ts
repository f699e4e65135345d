// One `second` message of the /live stream (schemas/live-message.schema.json) as the model's
// AppendedSecond: counts grouped per series, and only the keys and buckets the recording does
// not hold yet listed as new. Messages are self-contained, so any one of them can be applied.
//
// A message looks like:
//   { v: 1, type: 'second', t: 41, wallMs: 1767323086000, events: 812, partial: false,
//     series: [{ id: 3, aggregation: '@lat', key: ['read'], scheme: 'log2' }],
//     buckets: [{ id: 7, lo: 64, hi: 127 }], counts: [[3, 7, 812]], health: [] }

import type { LiveSecond } from '../../../schemas/format.js';
import type { AxisBucket } from '../model/bucket-axis.js';
import type {
  AppendedSecond,
  HealthKind,
  HealthRow,
  SeriesInfo,
} from '../model/recording-source.js';

/** What the recording already holds, to tell new keys and buckets from known ones. */
export interface KnownIds {
  hasSeries(id: number): boolean;
  hasBucket(id: number): boolean;
}

/** Integers beyond 2^53 arrive as decimal strings; counts that large lose precision as numbers anyway. */
const toNumber = (v: number | string | null): number | null => (v === null ? null : Number(v));

export function toAppendedSecond(m: LiveSecond, known: KnownIds): AppendedSecond {
  const perSeries = new Map<number, Record<string, number>>();
  for (const [seriesId, bucketId, n] of m.counts) {
    let counts = perSeries.get(seriesId);
    if (!counts) perSeries.set(seriesId, (counts = {}));
    counts[bucketId] = (counts[bucketId] ?? 0) + Number(n);
  }
  return {
    t: m.t,
    wallMs: m.wallMs,
    partial: m.partial,
    series: [...perSeries].map(([seriesId, counts]) => ({ seriesId, counts })),
    newSeries: m.series.filter((s) => !known.hasSeries(s.id)).map(toSeriesInfo),
    newBuckets: m.buckets
      .filter((b) => !known.hasBucket(b.id))
      .map((b): AxisBucket => ({ id: b.id, lo: toNumber(b.lo), hi: toNumber(b.hi) })),
    ...(m.stacks ? { stacks: toStacks(m.stacks) } : {}),
    health: m.health.map((h): HealthRow => ({
      t: m.t,
      kind: h.kind as HealthKind,
      count: h.count,
      message: h.message,
    })),
  };
}

/** The message's [seriesId, stackId, bucketId, count] grouped into stack_hist rows. */
function toStacks(s: NonNullable<LiveSecond['stacks']>): NonNullable<AppendedSecond['stacks']> {
  const rows = new Map<
    string,
    { seriesId: number; stackId: number; counts: Record<string, number> }
  >();
  for (const [seriesId, stackId, bucketId, n] of s.counts) {
    const at = `${seriesId}|${stackId}`;
    let row = rows.get(at);
    if (!row) rows.set(at, (row = { seriesId, stackId, counts: {} }));
    row.counts[bucketId] = (row.counts[bucketId] ?? 0) + Number(n);
  }
  return { defs: s.defs, rows: [...rows.values()] };
}

function toSeriesInfo(s: LiveSecond['series'][number]): SeriesInfo {
  // The same text the store writes in series.key: the key tuple joined with ", ".
  return {
    id: s.id,
    aggregation: s.aggregation,
    key: s.key.join(', '),
    keyParts: s.key,
    scheme: s.scheme,
  };
}

/** The parsed data of a `second` event, or null when it is not a v1 second message. */
export function parseLiveSecond(data: string): LiveSecond | null {
  const m = parseJson(data) as Partial<LiveSecond> | null;
  if (!m || m.v !== 1 || m.type !== 'second' || !Number.isInteger(m.t) || !Array.isArray(m.counts))
    return null;
  return m as LiveSecond;
}

export function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
