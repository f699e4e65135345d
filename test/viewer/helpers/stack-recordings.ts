// Recordings with stacks (schemas/recording.sql: stack, stack_hist, meta.stacks and
// meta.stacks_above) for the viewer's tests, until heat-record --stacks writes them: the
// histograms go through the real store (writeRecording, test/helpers/recordings.ts), then the stack rows are written beside
// them with better-sqlite3, consistent with the histograms (events below the threshold are in
// the histograms only).

import Database from 'better-sqlite3';
import type { Snapshot } from '../../../cli/model/snapshot.js';
import { second, writeRecording } from '../../helpers/recordings.js';

/** Events of one key with one stack, in one log2 bucket (k: [2^k, 2^(k+1) - 1]). */
export interface StackEvents {
  key: string;
  frames: string[];
  k: number;
  n: number;
}

export interface StackSecond {
  t: number;
  /** Events that carry a stack. */
  stacked: StackEvents[];
  /** Events below the threshold: in the histogram, without a stack. */
  below?: { key: string; k: number; n: number }[];
}

/** Writes the seconds' histograms, then their stacks, and marks the file as recorded with stacks. */
export function writeStackRecording(
  path: string,
  seconds: StackSecond[],
  opts: { stacksAbove?: number; kinds?: string } = {},
): void {
  writeRecording(path, seconds.map(toSnapshot));
  const db = new Database(path);
  try {
    db.transaction(() => writeStacks(db, seconds, opts))();
  } finally {
    db.close();
  }
}

function toSnapshot(s: StackSecond): Snapshot {
  const keys: Record<string, Record<number, number>> = {};
  for (const e of [...s.stacked, ...(s.below ?? [])]) {
    const buckets = (keys[e.key] ??= {});
    buckets[e.k] = (buckets[e.k] ?? 0) + e.n;
  }
  return second(s.t, keys);
}

function writeStacks(
  db: Database.Database,
  seconds: StackSecond[],
  opts: { stacksAbove?: number; kinds?: string },
): void {
  const setMeta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  setMeta.run('stacks', opts.kinds ?? 'user+kernel');
  setMeta.run('stacks_above', String(opts.stacksAbove ?? 0));
  const series = new Map(
    (db.prepare('SELECT id, key FROM series').all() as { id: number; key: string }[]).map((r) => [
      r.key,
      r.id,
    ]),
  );
  const buckets = new Map(
    (db.prepare('SELECT id, lo FROM bucket').all() as { id: number; lo: number }[]).map((r) => [
      r.lo,
      r.id,
    ]),
  );
  const addStack = db.prepare('INSERT OR IGNORE INTO stack (frames) VALUES (?)');
  const stackId = db.prepare('SELECT id FROM stack WHERE frames = ?').pluck();
  const addRow = db.prepare(
    'INSERT INTO stack_hist (t, series_id, stack_id, counts) VALUES (?, ?, ?, ?)',
  );
  for (const s of seconds) {
    const rows = new Map<string, Record<string, number>>();
    for (const e of s.stacked) {
      const frames = JSON.stringify(e.frames);
      addStack.run(frames);
      const at = `${series.get(e.key)!}|${stackId.get(frames) as number}`;
      const counts = rows.get(at) ?? {};
      const bucket = String(buckets.get(e.k < 0 ? 0 : 2 ** e.k)!);
      counts[bucket] = (counts[bucket] ?? 0) + e.n;
      rows.set(at, counts);
    }
    for (const [at, counts] of rows) {
      const [seriesId, stack] = at.split('|').map(Number);
      addRow.run(s.t, seriesId, stack, JSON.stringify(counts));
    }
  }
}

/** The two-path workload the issue describes, as a recording would hold it. */
export const SLOW_STACK = ['main', 'run', 'slow_path', 'fsync', 'do_fsync_[k]'];
export const FAST_STACK = ['main', 'run', 'fast_path', 'getppid'];
export const OTHER_STACK = ['main', 'idle;loop', '0x7f3a12 (libc.so.6)'];

/**
 * `seconds` seconds of a process with a slow path (~4-8 ms, bucket 12) and a fast path (~16-31 µs,
 * bucket 4) on key "app", and a third stack on key "other"; `slowRate` scales the slow path
 * (the second run of a differential), and some fast events stay below the threshold.
 */
export function twoPathSeconds(seconds: number, slowRate = 1, from = 0): StackSecond[] {
  return Array.from({ length: seconds }, (_, i) => {
    const t = from + i;
    return {
      t,
      stacked: [
        { key: 'app', frames: SLOW_STACK, k: 12, n: Math.round((2 + (t % 3)) * slowRate) },
        { key: 'app', frames: FAST_STACK, k: 4, n: 20 + (t % 7) },
        { key: 'other', frames: OTHER_STACK, k: 8, n: 1 + (t % 2) },
      ],
      below: [{ key: 'app', k: 1, n: 5 }],
    };
  });
}
