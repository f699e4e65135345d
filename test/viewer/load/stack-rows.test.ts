// The viewer's reads of a recording's stacks: a box (seconds x band x keys) merged per stack
// exactly as the file's own stack_counts view sums it, whole and read in parts (a fraction of
// the file), and files without stacks or with damaged stack rows.

import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openInParts, openRecording } from '../../../viewer/src/load/open-recording.js';
import { RecordingError } from '../../../viewer/src/load/recording-error.js';
import { sqlEngine, type SqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { ALL_KEYS, includedIds, isolate } from '../../../viewer/src/model/key-selection.js';
import { summarizeRange } from '../../../viewer/src/model/range-summary.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import {
  bucketIdsOfRows,
  readBoxStacks,
  type StackBox,
} from '../../../viewer/src/model/stack-box.js';
import { REPO_ROOT } from '../helpers/recordings.js';
import { fileSource } from '../helpers/file-source.js';
import {
  FAST_STACK,
  OTHER_STACK,
  SLOW_STACK,
  twoPathSeconds,
  writeStackRecording,
} from '../helpers/stack-recordings.js';

let engine: SqlEngine;
let dir: string;
let path: string;
let whole: Recording;

/** Per stack (frames JSON), the events in seconds [from, to), lo within [lo, hi], keys, from the file's stack_counts view. */
function sqlStacks(from: number, to: number, lo: number, hi: number, keys: string[]) {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(
      `SELECT frames, sum(n) AS n FROM stack_counts WHERE t >= ? AND t < ? AND lo >= ? AND hi <= ?
       AND key IN (${keys.map(() => '?').join(', ')}) GROUP BY frames`,
    )
    .all(from, to, lo, hi, ...keys) as { frames: string; n: number }[];
  db.close();
  return new Map(rows.map((r) => [r.frames, r.n]));
}

/** The box's stacks as frames JSON -> count. */
async function boxStacks(rec: Recording, box: StackBox): Promise<Map<string, number>> {
  const read = await readBoxStacks(rec, box);
  return new Map(read!.stacks.map((s) => [JSON.stringify(s.frames), s.count]));
}

/** The axis rows of the buckets with lo in [lo, hi]. */
function rowsWithin(rec: Recording, lo: number, hi: number): number[] {
  return rec.axis.rows.flatMap((b, r) => (b.lo! >= lo && b.hi! <= hi ? [r] : []));
}

beforeAll(async () => {
  engine = await sqlEngine({
    bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
  dir = mkdtempSync(join(tmpdir(), 'viewer-stacks-'));
  path = join(dir, 'stacks.db');
  // Longer than two chunks of STACK_CHUNK_SECONDS, so a box spans chunk edges.
  writeStackRecording(path, twoPathSeconds(2400), { stacksAbove: 4 });
  whole = await openRecording(readFileSync(path), 'stacks.db', engine);
});

describe('a box on a recording with stacks', () => {
  it('knows the recording has stacks and their threshold', () => {
    expect(whole.hasStacks).toBe(true);
    expect(whole.stacksAbove).toBe(4);
  });

  it('over the slow band holds the slow path only, summed as the file sums it', async () => {
    const rows = rowsWithin(whole, 4096, 8191);
    const box = {
      from: 100,
      to: 2000,
      buckets: bucketIdsOfRows(whole.axis, rows),
      ids: includedIds(ALL_KEYS, whole.seriesIds),
    };
    const got = await boxStacks(whole, box);
    expect([...got.keys()]).toEqual([JSON.stringify(SLOW_STACK)]);
    expect(got).toEqual(sqlStacks(100, 2000, 4096, 8191, ['app', 'other']));
  });

  it('over time only holds every stack; with the histogram, the rest are the events below the threshold', async () => {
    const box = { from: 7, to: 1807, buckets: null, ids: whole.seriesIds };
    const got = await boxStacks(whole, box);
    expect(got).toEqual(sqlStacks(7, 1807, 0, 2 ** 40, ['app', 'other']));
    expect(new Set(got.keys())).toEqual(
      new Set([SLOW_STACK, FAST_STACK, OTHER_STACK].map((f) => JSON.stringify(f))),
    );
    const summary = summarizeRange(whole, { from: 7, to: 1807, rows: null }, whole.seriesIds);
    const stacked = [...got.values()].reduce((a, b) => a + b, 0);
    expect(summary.total - stacked).toBe(5 * 1800); // five events a second below the threshold
  });

  it('per key when a key is isolated', async () => {
    const other = whole.series.find((s) => s.key === 'other')!.id;
    const ids = includedIds(isolate([other], whole.seriesIds), whole.seriesIds);
    const got = await boxStacks(whole, { from: 0, to: 2400, buckets: null, ids });
    expect(got).toEqual(sqlStacks(0, 2400, 0, 2 ** 40, ['other']));
    expect([...got.keys()]).toEqual([JSON.stringify(OTHER_STACK)]);
  });

  it('read in parts gives the same stacks from a fraction of the file', async () => {
    const source = fileSource(path);
    const parts = (await openInParts(source, 'stacks.db', undefined, engine))!;
    expect(parts).not.toBeNull();
    const opened = source.bytes;
    const box = {
      from: 1200,
      to: 1260,
      buckets: bucketIdsOfRows(parts.axis, rowsWithin(parts, 16, 31)),
      ids: parts.seriesIds,
    };
    const got = await boxStacks(parts, box);
    expect(got).toEqual(sqlStacks(1200, 1260, 16, 31, ['app', 'other']));
    expect([...got.keys()]).toEqual([JSON.stringify(FAST_STACK)]);
    expect(source.bytes - opened).toBeLessThan(source.size / 4);
  });
});

describe('a window saved from the viewer', () => {
  it('keeps the stacks of its seconds, renumbered from 0', async () => {
    const bytes = await whole.clip(300, 420, { command: 'test', source: 'stacks.db' });
    const clip = await openRecording(bytes!, 'clip.db', engine);
    expect(clip.hasStacks).toBe(true);
    const box = (rec: Recording, from: number) => ({
      from,
      to: from + 120,
      buckets: null,
      ids: rec.seriesIds,
    });
    expect(await boxStacks(clip, box(clip, 0))).toEqual(await boxStacks(whole, box(whole, 300)));
    expect(clip.stackRows(120, 200, clip.seriesIds)).toEqual([]);
  });
});

describe('recordings without stacks, and damaged stacks', () => {
  it('a file made before the stack tables opens and says it has no stacks', async () => {
    const old = join(dir, 'old.db');
    copyFileSync(path, old);
    const db = new Database(old);
    db.exec(
      "DROP VIEW stack_counts; DROP TABLE stack_hist; DROP TABLE stack; DELETE FROM meta WHERE key IN ('stacks', 'stacks_above');",
    );
    db.close();
    const rec = await openRecording(readFileSync(old), 'old.db', engine);
    expect(rec.hasStacks).toBe(false);
    expect(rec.stackRows(0, 10, rec.seriesIds)).toEqual([]);
  });

  it('frames that are not a list of names: a RecordingError naming the stack', async () => {
    const bad = join(dir, 'bad-frames.db');
    copyFileSync(path, bad);
    const db = new Database(bad);
    db.prepare('UPDATE stack SET frames = \'{"main": 1}\' WHERE id = 1').run();
    db.close();
    const rec = await openRecording(readFileSync(bad), 'bad-frames.db', engine);
    let failure: unknown = null;
    rec.readFailed.subscribe((err) => (failure = err));
    const read = await readBoxStacks(rec, { from: 0, to: 3, buckets: null, ids: rec.seriesIds });
    expect(failure).toBeInstanceOf(RecordingError);
    expect((failure as RecordingError).message).toMatch(
      /bad-frames\.db.*the frames of stack 1 are not a JSON list of names/,
    );
    expect(read!.stacks.every((s) => s.frames.length === 0)).toBe(true);
  });

  it('counts that are not whole: a RecordingError naming the second, series and stack', async () => {
    const bad = join(dir, 'bad-counts.db');
    copyFileSync(path, bad);
    const db = new Database(bad);
    db.prepare('UPDATE stack_hist SET counts = \'{"3": 1.5}\' WHERE t = 2 AND stack_id = 2').run();
    db.close();
    const rec = await openRecording(readFileSync(bad), 'bad-counts.db', engine);
    let failure: unknown = null;
    rec.readFailed.subscribe((err) => (failure = err));
    await readBoxStacks(rec, { from: 0, to: 5, buckets: null, ids: rec.seriesIds });
    expect((failure as RecordingError).message).toMatch(
      /the stack counts of second 2, series \d+, stack 2 hold 1.5 for bucket 3, not a count/,
    );
  });
});
