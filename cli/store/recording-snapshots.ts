// Reads a recording back as the Snapshots it was written from, a second at a time: the input of
// clip and merge, which write new recordings through the same RecordingWriter. Every row comes
// through the reader's checked readers.

import type { SchemeName } from '../../schemas/format.js';
import type { Bucket, HealthEvent, Histogram, Snapshot } from '../model/snapshot.js';
import type { CountRow, RecordingReader } from './recording-reader.js';
import type { StackCountRow } from './recording-stacks.js';

/** Every recorded second with from <= t <= to (all when no range is given), in order. Gap rows are left out: a writer records gaps itself. */
export function* readSnapshots(
  reader: RecordingReader,
  from?: number,
  to?: number,
): Generator<Snapshot> {
  const series = new Map(reader.series().map((s) => [s.id, s]));
  const buckets = new Map(reader.buckets().map((b) => [b.id, b]));
  const health = healthBySecond(reader);
  const counts = reader.counts(from, to);
  const stacks = new SecondStacks(reader, from, to);
  try {
    let pending = counts.next();
    for (const row of reader.seconds(from, to)) {
      const histograms = new Map<number, Bucket[]>();
      for (; !pending.done && pending.value.t <= row.t; pending = counts.next()) {
        const c = pending.value;
        const b = buckets.get(c.bucketId)!;
        if (c.t === row.t) bucketsOf(histograms, c).push({ lo: b.lo, hi: b.hi, count: c.n });
      }
      const list = [...histograms].map(([id, bucketList]): Histogram => {
        const s = series.get(id)!;
        return {
          aggregation: s.aggregation,
          key: s.keyParts,
          scheme: s.scheme as SchemeName,
          buckets: bucketList,
        };
      });
      const snapshot: Snapshot = {
        t: row.t,
        wallMs: row.wallMs,
        histograms: list,
        health: health.get(row.t) ?? [],
        partial: row.partial,
        tickNs: row.tickNs,
      };
      const stackList = stacks.of(row.t);
      if (stackList.length > 0) snapshot.stacks = stackList;
      yield snapshot;
    }
  } finally {
    counts.return(undefined);
    stacks.close();
  }
}

/** The stack histograms of each second (heat-record --stacks), read beside the counts. */
class SecondStacks {
  private readonly rows: Generator<StackCountRow>;
  private pending: IteratorResult<StackCountRow>;
  private readonly series;
  private readonly buckets;
  private readonly frames;

  constructor(reader: RecordingReader, from?: number, to?: number) {
    this.series = new Map(reader.series().map((s) => [s.id, s]));
    this.buckets = new Map(reader.buckets().map((b) => [b.id, b]));
    this.frames = reader.stacks();
    this.rows = reader.stackCounts(from, to);
    this.pending = this.rows.next();
  }

  /** Second t's stack histograms, one per (series, stack); rows of earlier seconds are skipped. */
  of(t: number): Histogram[] {
    const out = new Map<string, Histogram>();
    for (; !this.pending.done && this.pending.value.t <= t; this.pending = this.rows.next()) {
      const c = this.pending.value;
      if (c.t !== t) continue;
      const id = `${c.seriesId}:${c.stackId}`;
      let h = out.get(id);
      if (!h) {
        const s = this.series.get(c.seriesId)!;
        h = {
          aggregation: s.aggregation,
          key: s.keyParts,
          scheme: s.scheme as SchemeName,
          buckets: [],
          frames: this.frames.get(c.stackId)!,
        };
        out.set(id, h);
      }
      const b = this.buckets.get(c.bucketId)!;
      h.buckets.push({ lo: b.lo, hi: b.hi, count: c.n });
    }
    return [...out.values()];
  }

  close(): void {
    this.rows.return(undefined);
  }
}

function bucketsOf(histograms: Map<number, Bucket[]>, c: CountRow): Bucket[] {
  let list = histograms.get(c.seriesId);
  if (!list) histograms.set(c.seriesId, (list = []));
  return list;
}

function healthBySecond(reader: RecordingReader): Map<number, HealthEvent[]> {
  const out = new Map<number, HealthEvent[]>();
  for (const h of reader.health()) {
    if (h.t === null || h.kind === 'gap') continue;
    let list = out.get(h.t);
    if (!list) out.set(h.t, (list = []));
    list.push({ kind: h.kind, count: h.count, message: h.message });
  }
  return out;
}
