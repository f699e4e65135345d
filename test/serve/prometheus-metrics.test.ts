// /metrics starts from the seconds in the file where the tail started and adds what the tail
// reports after: a second committed between the two is counted once.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../cli/import/import-trace.js';
import { packageRoot } from '../../cli/package-root.js';
import { PrometheusMetrics } from '../../cli/serve/prometheus-metrics.js';
import { RecordingTail } from '../../cli/serve/recording-tail.js';
import { hist, openRecording, snapshot, START_MS } from '../helpers/recordings.js';
import { parsePrometheusText } from '../helpers/prometheus-parse.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

describe('PrometheusMetrics', () => {
  it('counts a second committed after the tail started but before the totals were read exactly once', () => {
    const path = tmp('race.db');
    const writer = openRecording(path);
    const second = (t: number) => writer.append(snapshot(t, [hist(['read'], [[1, 1, 10]])]));
    second(0);
    second(1);
    const tail = new RecordingTail(path);
    tail.start(60_000); // no polling: this test says when the tail looks
    second(2); // committed after the tail's first look, before the metrics read the file
    const metrics = new PrometheusMetrics(tail);
    tail.poke(); // the tail reports second 2
    second(3);
    tail.poke();
    const family = parsePrometheusText(metrics.exposition()).find(
      (f) => f.name === 'heat_tracer_latency_seconds',
    )!;
    expect(family.samples.find((s) => s.name === 'heat_tracer_latency_seconds_count')!.value).toBe(
      40,
    );
    const seconds = parsePrometheusText(metrics.exposition()).find(
      (f) => f.name === 'heat_tracer_seconds_recorded',
    )!;
    expect(seconds.samples[0]!.value).toBe(4);
    tail.stop();
    writer.finish({ end_reason: 'test', status: 'complete' });
  });

  it('lists the same le bounds for every key of a scheme, so sum by (le) stays cumulative', () => {
    const path = tmp('bounds.db');
    const writer = openRecording(path);
    writer.append(
      snapshot(0, [
        hist(['read'], [[2048, 4095, 99]]),
        hist(
          ['write'],
          [
            [2048, 4095, 5],
            [65536, 131071, 1],
          ],
        ),
      ]),
    );
    const tail = new RecordingTail(path);
    tail.start(60_000);
    const metrics = new PrometheusMetrics(tail);
    writer.append(snapshot(1, [hist(['read'], [[1024, 2047, 3]])])); // a new bound, reported by the tail
    tail.poke();
    const samples = parsePrometheusText(metrics.exposition()).find(
      (f) => f.name === 'heat_tracer_latency_seconds',
    )!.samples;
    const buckets = (key: string) =>
      samples
        .filter((s) => s.name.endsWith('_bucket') && s.labels.key === key)
        .map((s) => [s.labels.le, s.value]);
    expect(buckets('read')).toEqual([
      ['0.002047', 3],
      ['0.004095', 102],
      ['0.131071', 102],
      ['+Inf', 102],
    ]);
    expect(buckets('write')).toEqual([
      ['0.002047', 0],
      ['0.004095', 5],
      ['0.131071', 6],
      ['+Inf', 6],
    ]);
    tail.stop();
    writer.finish({ end_reason: 'test', status: 'complete' });
  });

  // dtrace-utils' tst.lquantrange, a real capture: bucket >= 10 holds Hoover's -100 and Bush's 150.
  it('counts positive counts in the buckets and sums negative ones (D weights) in a gauge per key', () => {
    const path = tmp('negative.db');
    const capture = join(
      packageRoot(),
      'test/fixtures/dtrace-real/dtrace-utils-aggs-tst.lquantrange.txt',
    );
    const [first] = parseTrace(
      { name: capture, text: readFileSync(capture, 'utf8'), savedMs: START_MS },
      undefined,
      START_MS,
    ).snapshots;
    const writer = openRecording(path);
    writer.append(first!);
    const tail = new RecordingTail(path);
    tail.start(60_000);
    const metrics = new PrometheusMetrics(tail);
    const bush = first!.histograms.find((h) => h.key[0] === 'Bush')!;
    writer.append({
      ...snapshot(1, [{ ...bush, buckets: [{ ...bush.buckets[0]!, count: -9n }] }]),
    });
    tail.poke(); // the tail reports second 1: Bush -9
    const families = parsePrometheusText(metrics.exposition());
    const count = (key: string) =>
      families
        .find((f) => f.name === 'heat_tracer_latency_seconds')!
        .samples.find((s) => s.name.endsWith('_count') && s.labels.key === key)!.value;
    expect(['Hoover', 'Nixon', 'Harding', 'Bush'].map(count)).toEqual([0, 25, 15, 150]);
    const negative = families.find((f) => f.name === 'heat_tracer_negative_counts')!;
    expect(negative.type).toBe('gauge');
    expect(negative.samples.map((s) => [s.labels.key, s.value])).toEqual([
      ['Hoover', -100],
      ['Bush', -9],
    ]);
    tail.stop();
    writer.finish({ end_reason: 'test', status: 'complete' });
  });
});
