// /metrics starts from the seconds in the file where the tail started and adds what the tail
// reports after: a second committed between the two is counted once.

import { describe, expect, it } from 'vitest';
import { newRecordingMeta } from '../../cli/record/recording-meta.js';
import { PrometheusMetrics } from '../../cli/serve/prometheus-metrics.js';
import { RecordingTail } from '../../cli/serve/recording-tail.js';
import { RecordingWriter } from '../../cli/store/recording-writer.js';
import { hist, snapshot, START_MS } from '../helpers/recordings.js';
import { parsePrometheusText } from '../helpers/prometheus-parse.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

describe('PrometheusMetrics', () => {
  it('counts a second committed after the tail started but before the totals were read exactly once', () => {
    const path = tmp('race.db');
    const writer = RecordingWriter.create(path, newRecordingMeta({ preset: 'test', unit: 'us', text: '# t' }, { name: 'synthetic', version: 'x' }, ['t'], START_MS));
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
    const family = parsePrometheusText(metrics.exposition()).find((f) => f.name === 'heat_tracer_latency_seconds')!;
    expect(family.samples.find((s) => s.name === 'heat_tracer_latency_seconds_count')!.value).toBe(40);
    const seconds = parsePrometheusText(metrics.exposition()).find((f) => f.name === 'heat_tracer_seconds_recorded')!;
    expect(seconds.samples[0]!.value).toBe(4);
    tail.stop();
    writer.finish({ end_reason: 'test', status: 'complete' });
  });
});
