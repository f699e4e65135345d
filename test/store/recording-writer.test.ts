import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, FORMAT_VERSION } from '../../schemas/format.js';
import { parseTrace } from '../../cli/import/import-trace.js';
import { HeatError } from '../../cli/model/heat-error.js';
import { packageRoot } from '../../cli/package-root.js';
import { newRecordingMeta } from '../../cli/record/recording-meta.js';
import { RecordingWriter } from '../../cli/store/recording-writer.js';
import {
  hist,
  snapshot,
  START_MS,
  writeRecording,
  writeSyntheticRecording,
} from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();
const meta = newRecordingMeta(
  { preset: 'test', unit: 'us', text: '# t' },
  { name: 'synthetic', version: 'x' },
  ['t'],
  START_MS,
);

describe('RecordingWriter', () => {
  it('stores every count of every second exactly, readable through the counts view', () => {
    const path = tmp('exact.db');
    writeRecording(path, [
      snapshot(0, [
        hist(
          ['read'],
          [
            [1, 1, 5],
            [2, 3, 7],
          ],
        ),
        hist(
          ['write'],
          [
            [null, -1, 2],
            [1024, 2047, 1],
          ],
        ),
      ]),
      snapshot(1, [hist(['read'], [[2147483648, null, 3]])]),
    ]);
    const db = new Database(path, { readonly: true });
    const rows = db.prepare('SELECT t, key, lo, hi, n FROM counts ORDER BY t, key, lo').all();
    expect(rows).toEqual([
      { t: 0, key: 'read', lo: 1, hi: 1, n: 5 },
      { t: 0, key: 'read', lo: 2, hi: 3, n: 7 },
      { t: 0, key: 'write', lo: null, hi: -1, n: 2 },
      { t: 0, key: 'write', lo: 1024, hi: 2047, n: 1 },
      { t: 1, key: 'read', lo: 2147483648, hi: null, n: 3 },
    ]);
    expect(db.prepare('SELECT t, events, partial FROM second ORDER BY t').all()).toEqual([
      { t: 0, events: 15, partial: 0 },
      { t: 1, events: 3, partial: 0 },
    ]);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(FORMAT_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
  });

  it('keeps 64-bit bounds and counts exact', () => {
    const path = tmp('big.db');
    const h = {
      aggregation: '@',
      key: [],
      scheme: 'log2' as const,
      buckets: [{ lo: 4611686018427387904n, hi: null, count: 9223372036854775807n }],
    };
    writeRecording(path, [snapshot(0, [h])]);
    const db = new Database(path, { readonly: true });
    db.defaultSafeIntegers(true);
    expect(db.prepare('SELECT lo, hi, n FROM counts').get()).toEqual({
      lo: 4611686018427387904n,
      hi: null,
      n: 9223372036854775807n,
    });
  });

  it('refuses in one line, instead of crashing in the SQLite binding, a total or bound beyond 64 bits', () => {
    const top = 2n ** 63n - 1n;
    const h = (key: string, lo: bigint | null, count: bigint) => ({
      aggregation: '@',
      key: [key],
      scheme: 'log2' as const,
      buckets: [{ lo, hi: null, count }],
    });
    // tst.negquant's second: each count fits int64, their total does not.
    expect(() =>
      writeRecording(tmp('total.db'), [
        snapshot(0, [h('f-market', 1n, top), h('s-castro', 1n, top - 3n)]),
      ]),
    ).toThrow(HeatError);
    expect(() =>
      writeRecording(tmp('total2.db'), [
        snapshot(0, [h('f-market', 1n, top), h('s-castro', 1n, top - 3n)]),
      ]),
    ).toThrow(`second 0's total count is ${2n * top - 3n}, beyond the signed 64-bit range`);
    expect(() => writeRecording(tmp('bound.db'), [snapshot(0, [h('a', 2n ** 63n, 1n)])])).toThrow(
      "a bucket's lower bound is 9223372036854775808, beyond the signed 64-bit range",
    );
    expect(() =>
      writeRecording(tmp('count.db'), [snapshot(0, [h('a', 1n, 2n ** 64n - 1n)])]),
    ).toThrow('a count of @ at second 0 is 18446744073709551615');
    expect(() =>
      writeRecording(tmp('merged.db'), [snapshot(0, [h('a', 1n, top), h('a', 1n, 1n)])]),
    ).toThrow(HeatError);
  });

  it('sums a series printed twice in a second and keeps any order of series, rollups exact past 2^53', () => {
    const path = tmp('order.db');
    const big = 2n ** 53n - 1n; // the largest count a double holds exactly: any sum of two goes past it
    const h = (key: string, lo: bigint, count: bigint) => ({
      aggregation: '@lat_us',
      key: [key],
      scheme: 'log2' as const,
      buckets: [{ lo, hi: 2n * lo - 1n, count }],
    });
    writeRecording(path, [
      snapshot(0, [h('a', 4n, 1n), h('b', 8n, big), h('c', 4n, 2n)]),
      snapshot(1, [h('c', 8n, big), h('a', 4n, 5n), h('c', 8n, 3n), h('b', 8n, 2n)]), // c twice, out of order
    ]);
    const db = new Database(path, { readonly: true });
    db.defaultSafeIntegers(true);
    expect(db.prepare('SELECT t, key, lo, n FROM counts ORDER BY t, key, lo').all()).toEqual([
      { t: 0n, key: 'a', lo: 4n, n: 1n },
      { t: 0n, key: 'b', lo: 8n, n: big },
      { t: 0n, key: 'c', lo: 4n, n: 2n },
      { t: 1n, key: 'a', lo: 4n, n: 5n },
      { t: 1n, key: 'b', lo: 8n, n: 2n },
      { t: 1n, key: 'c', lo: 8n, n: big + 3n },
    ]);
    // Every series once per second, stored in primary-key order.
    expect(db.prepare('SELECT count(*) AS n FROM hist WHERE t = 1').get()).toEqual({ n: 3n });
    const rollup = (level: number, key: string | null) =>
      db
        .prepare(
          `SELECT counts FROM rollup r LEFT JOIN series s ON s.id = r.series_id
      WHERE level = ? AND t = 0 AND ${key === null ? 'series_id = 0' : 's.key = ?'}`,
        )
        .pluck()
        .get(...(key === null ? [level] : [level, key]));
    const bucketOf = (lo: bigint) =>
      db.prepare('SELECT id FROM bucket WHERE lo = ?').pluck().get(lo);
    const [four, eight] = [bucketOf(4n), bucketOf(8n)];
    expect(rollup(1, null)).toBe(`{"${four}":3,"${eight}":${big}}`); // second 0: a + c in [4, 7], b in [8, 15]
    expect(rollup(60, null)).toBe(`{"${four}":8,"${eight}":${big * 2n + 5n}}`); // odd, past 2^53: no double holds it
    expect(rollup(60, 'b')).toBe(`{"${eight}":${big + 2n}}`);
    expect(rollup(3600, 'c')).toBe(`{"${four}":2,"${eight}":${big + 3n}}`);
  });

  // dtrace-utils' tst.negorder: @quanty then @lquanty, read as two seconds of `@` (the text names
  // neither nor shows where a print ends), 24 keys, weights -12..-1 and 1..12, all in [1, 1]. Netted, the
  // all-keys rollup held nothing there and the viewer showed none of the 78 positive counts.
  it('keeps negative counts (D weights) in hist, out of rollups and events, with a health warning', () => {
    const path = tmp('negorder.db');
    const name = join(
      packageRoot(),
      'test/fixtures/dtrace-real/dtrace-utils-aggs-tst.negorder.txt',
    );
    const parsed = parseTrace(
      { name, text: readFileSync(name, 'utf8'), savedMs: START_MS },
      undefined,
      START_MS,
    ).snapshots;
    expect(parsed.map((s) => s.t)).toEqual([0, 1]);
    writeRecording(path, parsed);
    const db = new Database(path, { readonly: true });
    const all = (sql: string) => db.prepare(sql).all();
    expect(all('SELECT t, sum(n < 0) AS neg, sum(n) AS n FROM counts GROUP BY t')).toEqual([
      { t: 0, neg: 12, n: 0 }, // as read, signed: -78 + 78
      { t: 1, neg: 12, n: 0 },
    ]);
    const b11 = db.prepare('SELECT id FROM bucket WHERE lo = 1 AND hi = 1').pluck().get();
    expect(all('SELECT t, counts FROM rollup WHERE level = 1 AND series_id = 0')).toEqual([
      { t: 0, counts: `{"${b11}":78}` },
      { t: 1, counts: `{"${b11}":78}` },
    ]);
    expect(
      all(`SELECT s.key, r.counts FROM rollup r JOIN series s ON s.id = r.series_id
           WHERE level = 60 AND s.key IN ('2', '14') ORDER BY s.key`),
    ).toEqual([{ key: '14', counts: `{"${b11}":2}` }]); // 1 a second; key 2 (-12) has no heat
    expect(all('SELECT t, events FROM second')).toEqual([
      { t: 0, events: 78 },
      { t: 1, events: 78 },
    ]);
    expect(all('SELECT t, kind, count, message FROM health')).toEqual(
      [0, 1].map((t) => ({
        t,
        kind: 'warning',
        count: 12,
        message: `negative counts (D weights): 12 cells summing to -78 (first: -12 in @[2], bucket [1, 1]); kept in the recording and its exports, left out of the heat map, events, totals and percentiles`,
      })),
    );
  });

  it('sums a series printed twice in a second before taking its heat, noting a negative sum', () => {
    const path = tmp('merged-negative.db');
    const h = (count: number) => hist(['a'], [[4, 7, count]]);
    writeRecording(path, [snapshot(0, [h(5), h(-3)]), snapshot(1, [h(3), h(-5)])]);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT t, n FROM counts ORDER BY t').all()).toEqual([
      { t: 0, n: 2 },
      { t: 1, n: -2 },
    ]);
    expect(db.prepare('SELECT t, events FROM second ORDER BY t').all()).toEqual([
      { t: 0, events: 2 },
      { t: 1, events: 0 },
    ]);
    expect(db.prepare('SELECT t, counts FROM rollup WHERE level = 1 ORDER BY t').all()).toEqual([
      { t: 0, counts: '{"1":2}' }, // second 1 has no heat: no row
    ]);
    expect(db.prepare('SELECT t, count FROM health').all()).toEqual([{ t: 1, count: 1 }]);
    expect(db.prepare('SELECT message FROM health').pluck().get()).toMatch(
      /: 1 cell summing to -2 \(first: -2 in @lat_us\[a\], bucket \[4, 7\]\)/,
    );
  });

  it('notes negative counts once when the second already carries the note (a clip of a recording)', () => {
    const path = tmp('noted.db');
    const noted = snapshot(0, [hist(['a'], [[4, 7, -1]])]);
    noted.health.push({
      kind: 'warning',
      count: 1,
      message: 'negative counts (D weights): 1 cell',
    });
    writeRecording(path, [noted]);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT message FROM health').pluck().all()).toEqual([
      'negative counts (D weights): 1 cell',
    ]);
  });

  it('tells seconds with no data from missed seconds', () => {
    const path = tmp('gaps.db');
    writeRecording(path, [
      snapshot(0, [hist(['a'], [[1, 1, 1]])]),
      snapshot(1, []),
      snapshot(4, [hist(['a'], [[1, 1, 1]])], true),
    ]);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT t, events, partial FROM second ORDER BY t').all()).toEqual([
      { t: 0, events: 1, partial: 0 },
      { t: 1, events: 0, partial: 0 },
      { t: 4, events: 1, partial: 1 },
    ]);
    expect(db.prepare('SELECT * FROM gaps').all()).toEqual([
      { first_missed: 2, last_missed: 3, seconds: 2 },
    ]);
    expect(db.prepare("SELECT t, kind, count FROM health WHERE kind = 'gap'").all()).toEqual([
      { t: 2, kind: 'gap', count: 2 },
    ]);
  });

  it('keeps the runs of recorded seconds (second_run) as `second` holds them, while recording and after', () => {
    const path = tmp('runs.db');
    const writer = RecordingWriter.create(path, meta);
    const recorded = [0, 1, 2, 5, 6, 9, 12, 13, 14, 15];
    const live = new Database(path, { readonly: true }); // a viewer of the recording in progress
    const runs = (db: Database.Database) =>
      db.prepare('SELECT first, last FROM second_run ORDER BY first').all();
    const derived = (db: Database.Database) =>
      db
        .prepare(
          'SELECT min(t) AS first, max(t) AS last FROM (SELECT t, t - row_number() OVER (ORDER BY t) AS g FROM second) GROUP BY g ORDER BY 1',
        )
        .all();
    for (const t of recorded) {
      writer.append(snapshot(t, t % 2 ? [] : [hist(['a'], [[1, 1, 1]])]));
      expect(runs(live), `after second ${t}`).toEqual(derived(live));
    }
    expect(runs(live)).toEqual([
      { first: 0, last: 2 },
      { first: 5, last: 6 },
      { first: 9, last: 9 },
      { first: 12, last: 15 },
    ]);
    live.close();
    writer.finish({ status: 'complete' });
    const done = new Database(path, { readonly: true });
    expect(runs(done)).toEqual(derived(done));
    expect(runs(done)).toHaveLength(4);
    done.close();
  });

  it('keeps second_run whole whatever order seconds are inserted in (the trigger merges runs)', () => {
    const path = tmp('any-order.db');
    RecordingWriter.create(path, meta).close();
    const db = new Database(path);
    const insert = db.prepare('INSERT INTO second (t, wall_ms, events) VALUES (?, 0, 0)');
    for (const t of [7, 3, 5, 4, 9, 0, 8, 1, 6, 20]) insert.run(t);
    expect(db.prepare('SELECT first, last FROM second_run ORDER BY first').all()).toEqual([
      { first: 0, last: 1 },
      { first: 3, last: 9 },
      { first: 20, last: 20 },
    ]);
    db.close();
  });

  it('writes rollups that sum exactly to the per-second counts at every level', () => {
    const path = tmp('rollup.db');
    writeSyntheticRecording(path, 125, { keys: 5, seed: 7 });
    const db = new Database(path, { readonly: true });
    const base = db
      .prepare(
        'SELECT r.id AS s, j.key AS b, sum(j.value) AS n FROM hist h JOIN series r ON r.id = h.series_id, json_each(h.counts) j GROUP BY 1, 2 ORDER BY 1, 2',
      )
      .all();
    for (const level of [60, 600, 3600]) {
      const rolled = db
        .prepare(
          'SELECT series_id AS s, j.key AS b, sum(j.value) AS n FROM rollup, json_each(rollup.counts) j WHERE level = ? AND series_id > 0 GROUP BY 1, 2 ORDER BY 1, 2',
        )
        .all(level);
      expect(rolled, `level ${level}`).toEqual(base);
    }
    const perSecondTotals = db.prepare('SELECT t, events FROM second ORDER BY t').all() as {
      t: number;
      events: number;
    }[];
    const level1 = db
      .prepare(
        'SELECT t, (SELECT sum(value) FROM json_each(counts)) AS events FROM rollup WHERE level = 1 AND series_id = 0 ORDER BY t',
      )
      .all();
    expect(level1).toEqual(perSecondTotals);
    expect(db.prepare('SELECT level, through FROM rollup_state ORDER BY level').all()).toEqual(
      [1, 10, 60, 600, 3600].map((level) => ({ level, through: 125 })),
    );
    expect(
      db.prepare('SELECT count(*) AS n FROM rollup WHERE level = 60 AND series_id = 0').get(),
    ).toEqual({ n: 3 }); // windows 0, 60, 120
  });

  it('marks rollup windows complete only once closed and written (every 10 s) while recording', () => {
    const path = tmp('live-rollup.db');
    const writer = RecordingWriter.create(path, meta);
    for (let t = 0; t < 25; t++) writer.append(snapshot(t, [hist(['a'], [[1, 1, 1]])]));
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT level, through FROM rollup_state ORDER BY level').all()).toEqual([
      { level: 1, through: 20 },
      { level: 10, through: 20 },
      { level: 60, through: 0 },
      { level: 600, through: 0 },
      { level: 3600, through: 0 },
    ]);
    expect(
      db
        .prepare('SELECT t, counts FROM rollup WHERE level = 10 AND series_id = 0 ORDER BY t')
        .all(),
    ).toEqual([
      { t: 0, counts: '{"1":10}' },
      { t: 10, counts: '{"1":10}' },
    ]);
    expect(
      db.prepare('SELECT count(*) AS n FROM rollup WHERE level = 10 AND series_id <> 0').get(),
    ).toEqual({ n: 0 });
    db.close();
    writer.close();
  });

  it('refuses an existing file unless forced, with a one-line hint', () => {
    const path = tmp('exists.db');
    writeFileSync(path, 'precious');
    const error = (() => {
      try {
        RecordingWriter.create(path, meta);
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(HeatError);
    expect((error as HeatError).toLine()).toMatch(
      /^heat-record: output .*exists\.db already exists \(.*--force.*\)$/,
    );
    RecordingWriter.create(path, meta, { force: true }).close();
    expect(new Database(path).pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
  });

  it('names the folder when it cannot write there', () => {
    expect(() => RecordingWriter.create(tmp('missing/dir/x.db'), meta)).toThrow(
      /folder .*missing\/dir does not exist/,
    );
    expect(existsSync(tmp('missing'))).toBe(false);
  });
});
