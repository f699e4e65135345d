// Builds recordings for tests straight through the store, with known contents: hand-made
// seconds, a synthetic generator's seconds, or a writer left open as a running recorder leaves it.

import type { Histogram, Snapshot } from '../../cli/model/snapshot.js';
import { newRecordingMeta } from '../../cli/record/recording-meta.js';
import { RecordingWriter } from '../../cli/store/recording-writer.js';
import { SyntheticGenerator, type SyntheticOptions } from '../../cli/tracers/synthetic.js';
import type { Program } from '../../cli/tracers/tracer.js';
import { buckets, log2Bucket } from './buckets.js';

/** When every test recording starts (2026-11-26 05:00:00 UTC) unless told otherwise. */
export const START_MS = Date.UTC(2026, 10, 26, 5, 0, 0);

/** A log2 histogram from [lo, hi, count] triples. */
export function hist(
  key: string[],
  rows: [number | null, number | null, number][],
  aggregation = '@lat_us',
): Histogram {
  return { aggregation, key, scheme: 'log2', buckets: buckets(...rows) };
}

/** Second t holding these histograms, committed at the end of the second. */
export function snapshot(t: number, histograms: Histogram[], partial = false): Snapshot {
  return { t, wallMs: START_MS + (t + 1) * 1000, histograms, health: [], partial };
}

/** One second of one-key-per-entry log2 histograms: {key: {k: n}} (see log2Bucket). */
export function second(
  t: number,
  keys: Record<string, Record<number, number>>,
  startMs = START_MS,
): Snapshot {
  return {
    t,
    wallMs: startMs + (t + 1) * 1000,
    partial: false,
    health: [],
    histograms: Object.entries(keys).map(([key, counts]) => ({
      aggregation: '@lat',
      key: [key],
      scheme: 'log2' as const,
      buckets: Object.entries(counts).map(([k, n]) => log2Bucket(Number(k), n)),
    })),
  };
}

/** Second t of a synthetic generator's output, as the recorder commits it. */
export function syntheticSecond(generator: SyntheticGenerator, t: number): Snapshot {
  return snapshot(t, generator.second(t));
}

export interface TestRecordingOptions {
  /** @default 'us' */
  unit?: 'us' | 'ns';
  /** @default START_MS */
  startMs?: number;
  /** The program text. @default '# test' */
  script?: string;
  /** Replace an existing file. @default true */
  force?: boolean;
}

/** A new recording, open for the test to append seconds to as a running recorder does. */
export function openRecording(path: string, opts: TestRecordingOptions = {}): RecordingWriter {
  const program: Program = {
    preset: 'test',
    unit: opts.unit ?? 'us',
    text: opts.script ?? '# test',
  };
  const meta = newRecordingMeta(
    program,
    { name: 'synthetic', version: 'test' },
    ['test'],
    opts.startMs ?? START_MS,
  );
  return RecordingWriter.create(path, meta, { force: opts.force ?? true });
}

/** Writes the given seconds to a new recording and finishes it. */
export function writeRecording(
  path: string,
  seconds: Snapshot[],
  opts: TestRecordingOptions = {},
): void {
  const writer = openRecording(path, opts);
  for (const s of seconds) writer.append(s);
  const endMs = (opts.startMs ?? START_MS) + seconds.length * 1000;
  writer.finish({
    end_ms: String(endMs),
    end_time: new Date(endMs).toISOString(),
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
  const snaps = Array.from({ length: seconds }, (_, t) => syntheticSecond(generator, t));
  writeRecording(path, snaps);
  return snaps;
}
