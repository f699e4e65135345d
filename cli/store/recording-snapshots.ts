// Reads a recording back as the Snapshots it was written from, a second at a time: the input of
// clip and merge, which write new recordings through the same RecordingWriter.

import type { SchemeName } from '../../schemas/format.js';
import type { Histogram, Snapshot } from '../model/snapshot.js';
import type { HealthEvent, HealthKind } from '../model/snapshot.js';
import { countsFromJson } from './bucket-counts.js';
import type { RecordingReader } from './recording-reader.js';

/** Every recorded second with from <= t <= to, in order. Gap rows are left out: a writer records gaps itself. */
export function* readSnapshots(reader: RecordingReader, from = 0, to = Number.MAX_SAFE_INTEGER): Generator<Snapshot> {
  const series = new Map(reader.series().map((s) => [s.id, s]));
  const buckets = new Map(reader.buckets().map((b) => [b.id, b]));
  const hist = reader.db.prepare('SELECT series_id, counts FROM hist WHERE t = ? ORDER BY series_id');
  const health = reader.db.prepare("SELECT kind, count, message FROM health WHERE t = ? AND kind <> 'gap' ORDER BY id");
  const seconds = reader.db.prepare('SELECT t, wall_ms, partial, tick_ns FROM second WHERE t BETWEEN ? AND ? ORDER BY t').safeIntegers(true);
  for (const row of seconds.iterate(from, to) as Iterable<{ t: bigint; wall_ms: bigint; partial: bigint; tick_ns: bigint | null }>) {
    const t = Number(row.t);
    const histograms = (hist.all(t) as { series_id: number; counts: string }[]).map((h): Histogram => {
      const s = series.get(h.series_id)!;
      const bucketList = [...countsFromJson(h.counts)].map(([id, count]) => ({ lo: buckets.get(id)!.lo, hi: buckets.get(id)!.hi, count }));
      return { aggregation: s.aggregation, key: s.keyParts, scheme: s.scheme as SchemeName, buckets: bucketList };
    });
    const events = (health.all(t) as { kind: HealthKind; count: number; message: string }[]).map((e): HealthEvent => ({ kind: e.kind, count: e.count, message: e.message }));
    yield { t, wallMs: Number(row.wall_ms), histograms, health: events, partial: row.partial === 1n, tickNs: row.tick_ns };
  }
}
