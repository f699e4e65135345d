// The live side's reads (the tail, /metrics) check what they read: a damaged value is one line
// naming the file, as every other reader of a recording gives, never a crash or a wrong number.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HeatError } from '../../cli/model/heat-error.js';
import { PrometheusMetrics } from '../../cli/serve/prometheus-metrics.js';
import { RecordingTail } from '../../cli/serve/recording-tail.js';
import { LiveReads } from '../../cli/store/live-reads.js';
import { hist, snapshot, writeRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** A finished three-second recording, with one SQL change made to it. */
function recordingWith(name: string, change = ''): string {
  const path = tmp(name);
  writeRecording(
    path,
    [0, 1, 2].map((t) => snapshot(t, [hist(['read'], [[1, 1, t + 1]])])),
  );
  const db = new Database(path);
  db.exec(change);
  db.close();
  return path;
}

describe('LiveReads', () => {
  it('reads a good recording: seconds, counts, series, buckets and how it ended', () => {
    const path = recordingWith('good.db');
    LiveReads.run(path, (reads) => {
      expect(reads.newestSecond()).toBe(2);
      expect(reads.seconds(0, 2).map((s) => s.t)).toEqual([1, 2]);
      expect([...reads.hist(0, 2)].map((h) => [h.t, h.seriesId, [...h.counts]])).toEqual([
        [1, 1, [[1, 2n]]],
        [2, 1, [[1, 3n]]],
      ]);
      expect(reads.seriesAfter().map((s) => s.key)).toEqual([['read']]);
      expect(reads.bucketsAfter().map((b) => [b.lo, b.hi])).toEqual([[1n, 1n]]);
      expect(reads.ending()).toMatchObject({ status: 'complete' });
    });
  });

  it('refuses damaged counts, a text t and a bad end time with one line naming the file', () => {
    const counts = recordingWith('counts.db', `UPDATE hist SET counts = '{"1": "x"}' WHERE t = 1`);
    const tail = new RecordingTail(counts);
    tail.start(60_000);
    tail.stop();
    expect(() => tail.secondsAfter(-1)).toThrow(
      `${counts} is damaged: hist row (second 1, series 1): counts is not an object from bucket id to whole count ("{\\"1\\": \\"x\\"}")`,
    );
    expect(() => new PrometheusMetrics(tail)).toThrow(HeatError);
    const textT = recordingWith('text-t.db', "UPDATE second SET wall_ms = 'soon' WHERE t = 2");
    expect(() => LiveReads.run(textT, (reads) => reads.seconds(-1, 2))).toThrow(
      `${textT} is damaged: second 2's wall_ms is a string ("soon"), not a whole number`,
    );
    const end = recordingWith('end.db', "UPDATE meta SET value = 'later' WHERE key = 'end_ms'");
    expect(() => new RecordingTail(end).start(60_000)).toThrow(
      `${end} is damaged: meta.end_ms is "later", not a time in Unix ms`,
    );
  });
});
