// Stacks through the store: one stack row per distinct frames array across seconds, stack_hist
// rows per (second, series, stack) in hist.counts's JSON, and equal frames summed.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Histogram } from '../../cli/model/snapshot.js';
import { hist, snapshot, writeRecording } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

function stackHist(
  key: string[],
  frames: string[],
  buckets: [number, number, number][],
): Histogram {
  return { ...hist(key, buckets), frames };
}

const SLOW = ['main', 'slow_path', 'clock_nanosleep'];
const FAST = ['main', 'fast_path', 'clock_nanosleep'];

describe('stack rows', () => {
  it('keeps one row per distinct stack and every count of every second exactly', () => {
    const path = tmp('stacks.db');
    const first = snapshot(0, [
      hist(
        ['a'],
        [
          [4096, 8191, 12],
          [8192, 16383, 1],
          [64, 127, 900],
        ],
      ),
    ]);
    first.stacks = [
      stackHist(['a'], SLOW, [
        [4096, 8191, 10],
        [8192, 16383, 1],
      ]),
      stackHist(['a'], FAST, [[4096, 8191, 2]]),
    ];
    const second = snapshot(1, [hist(['a'], [[4096, 8191, 7]]), hist(['b'], [[4096, 8191, 3]])]);
    // Two printed stacks that are one stored stack (they differed in offsets): summed.
    second.stacks = [
      stackHist(['b'], SLOW, [[4096, 8191, 3]]),
      stackHist(['a'], SLOW, [[4096, 8191, 4]]),
      stackHist(['a'], SLOW, [[4096, 8191, 3]]),
    ];
    writeRecording(path, [first, second, snapshot(2, [])]);

    const db = new Database(path, { readonly: true });
    const stacks = db.prepare('SELECT frames FROM stack ORDER BY id').all();
    expect(stacks).toEqual([{ frames: JSON.stringify(SLOW) }, { frames: JSON.stringify(FAST) }]);
    const rows = db
      .prepare('SELECT t, key, lo, hi, frames, n FROM stack_counts ORDER BY t, key, frames, lo')
      .all();
    expect(rows).toEqual([
      { t: 0, key: 'a', lo: 4096, hi: 8191, frames: JSON.stringify(FAST), n: 2 },
      { t: 0, key: 'a', lo: 4096, hi: 8191, frames: JSON.stringify(SLOW), n: 10 },
      { t: 0, key: 'a', lo: 8192, hi: 16383, frames: JSON.stringify(SLOW), n: 1 },
      { t: 1, key: 'a', lo: 4096, hi: 8191, frames: JSON.stringify(SLOW), n: 7 },
      { t: 1, key: 'b', lo: 4096, hi: 8191, frames: JSON.stringify(SLOW), n: 3 },
    ]);
    // Stack rows point at the histogram series their events went into.
    const series = db
      .prepare('SELECT DISTINCT h.series_id AS id FROM stack_hist h JOIN hist USING (t, series_id)')
      .all();
    expect(series).toHaveLength(2);
    db.close();
  });

  it('a recording without stacks has the tables, empty', () => {
    const path = tmp('plain.db');
    writeRecording(path, [snapshot(0, [hist(['a'], [[1, 1, 1]])])]);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM stack_hist').get()).toEqual({ n: 0 });
    db.close();
  });
});
