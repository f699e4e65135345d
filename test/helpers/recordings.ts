// Builds recordings for tests straight through the store, with known contents.

import type { Histogram, Snapshot } from '../../cli/model/snapshot.js';
import { newRecordingMeta } from '../../cli/record/recording-meta.js';
import { RecordingWriter } from '../../cli/store/recording-writer.js';
import { SyntheticGenerator, type SyntheticOptions } from '../../cli/tracers/synthetic.js';

export const START_MS = Date.UTC(2026, 10, 26, 5, 0, 0);

/** A log2 histogram from [lo, hi, count] triples. */
export function hist(
  key: string[],
  buckets: [number | null, number | null, number][],
  aggregation = '@lat_us',
): Histogram {
  return {
    aggregation,
    key,
    scheme: 'log2',
    buckets: buckets.map(([lo, hi, count]) => ({
      lo: lo === null ? null : BigInt(lo),
      hi: hi === null ? null : BigInt(hi),
      count: BigInt(count),
    })),
  };
}

export function snapshot(t: number, histograms: Histogram[], partial = false): Snapshot {
  return { t, wallMs: START_MS + (t + 1) * 1000, histograms, health: [], partial };
}

/** Writes the given seconds to a new recording and finishes it. */
export function writeRecording(path: string, seconds: Snapshot[]): void {
  const writer = RecordingWriter.create(
    path,
    newRecordingMeta(
      { preset: 'test', unit: 'us', text: '# test' },
      { name: 'synthetic', version: 'test' },
      ['test'],
      START_MS,
    ),
    { force: true },
  );
  for (const s of seconds) writer.append(s);
  writer.finish({
    end_ms: String(START_MS + seconds.length * 1000),
    end_reason: 'duration',
    status: 'complete',
  });
}

/** A synthetic recording of `seconds` seconds. */
export function writeSyntheticRecording(
  path: string,
  seconds: number,
  options: SyntheticOptions = {},
): Snapshot[] {
  const generator = new SyntheticGenerator(options);
  const snaps = Array.from({ length: seconds }, (_, t) => snapshot(t, generator.second(t)));
  writeRecording(path, snaps);
  return snaps;
}
