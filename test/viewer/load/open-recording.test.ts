import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importTrace } from '../../../cli/import/import-recording.js';
import { openRecording } from '../../../viewer/src/load/open-recording.js';
import { RecordingError } from '../../../viewer/src/load/recording-error.js';
import { sqlEngine, type SqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { ALL_KEYS, isolate } from '../../../viewer/src/model/key-selection.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { gridCounts } from '../helpers/expected.js';
import { second, START_MS, writeRecording } from '../../helpers/recordings.js';
import { recordSynthetic, REPO_ROOT, writeBadFiles } from '../helpers/recordings.js';

let engine: SqlEngine;
let dir: string;
let path: string;
let recording: Recording;

beforeAll(async () => {
  engine = await sqlEngine({
    bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
  dir = mkdtempSync(join(tmpdir(), 'viewer-open-'));
  path = join(dir, 'run.db');
  await recordSynthetic(path, { seconds: 130, keys: 6, seed: 3 });
  recording = await openRecording(readFileSync(path), 'run.db', engine);
});

/** Counts straight from the file with better-sqlite3, through the schema's own counts view. */
function sqlCounts(where: string, params: unknown[] = []): Map<string, number> {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare(`SELECT t, lo, hi, sum(n) AS n FROM counts WHERE ${where} GROUP BY t, lo, hi`)
    .all(...params) as { t: number; lo: number | null; hi: number | null; n: number }[];
  db.close();
  return new Map(rows.map((r) => [`${r.t}|${r.lo}|${r.hi}`, r.n]));
}

describe('openRecording', () => {
  it('reads what the recording is', () => {
    expect(recording.info.meta.tracer).toBe('synthetic');
    expect(recording.info.unit).toBe('us');
    expect(recording.info.formatVersion).toBe(1);
    expect([recording.t0, recording.end]).toEqual([0, 130]);
    expect(recording.series.map((s) => s.key)).toEqual([
      'read',
      'write',
      'futex',
      'epoll_wait',
      'openat',
      'close',
    ]);
    expect(recording.defaultScale).toBe('log');
  });

  it('gives the all-keys grid (from the level-1 rollup) exactly the counts in hist', () => {
    expect(gridCounts(recording)).toEqual(sqlCounts('1'));
  });

  it('gives an isolated key and an all-but-one selection their exact counts', () => {
    expect(gridCounts(recording, isolate([3], recording.seriesIds))).toEqual(
      sqlCounts('key = ?', ['futex']),
    );
    const allButRead = isolate(
      recording.seriesIds.filter((id) => id !== 1),
      recording.seriesIds,
    );
    expect(allButRead).toEqual({ mode: 'except', ids: [1] });
    expect(gridCounts(recording, allButRead)).toEqual(sqlCounts('key <> ?', ['read']));
  });

  it('sums per-key counts over any range from rollup windows and hist alike', () => {
    for (const [from, to] of [
      [0, 130],
      [7, 95],
      [60, 61],
    ] as const) {
      const perKey = recording.seriesCounts(from, to);
      const db = new Database(path, { readonly: true });
      const expected = db
        .prepare(
          'SELECT series_id AS id, sum(j.value) AS n FROM hist, json_each(hist.counts) j WHERE t >= ? AND t < ? GROUP BY series_id',
        )
        .all(from, to) as { id: number; n: number }[];
      db.close();
      expect(expected.length).toBe(6);
      for (const { id, n } of expected) expect(perKey.get(id)!.reduce((a, b) => a + b, 0)).toBe(n);
    }
    const totals = recording.keyTotals();
    expect([...totals.values()].reduce((a, b) => a + b, 0)).toBe(
      [...sqlCounts('1').values()].reduce((a, b) => a + b, 0),
    );
  });

  it('appends a second at the right edge and reads it back', async () => {
    const rec = await openRecording(readFileSync(path), 'run.db', engine);
    const bucket = rec.axis.rows.find((b) => b.lo === 64)!;
    const before = rec.grid(ALL_KEYS).total(0, 130);
    const futex = rec.grid(isolate([3], rec.seriesIds));
    rec.appendSecond({
      t: 131,
      wallMs: rec.info.startMs + 132_000,
      partial: false,
      series: [{ seriesId: 3, counts: { [bucket.id]: 7 } }],
    });
    expect(rec.end).toBe(132);
    expect(rec.isRecorded(130)).toBe(false);
    expect(rec.grid(ALL_KEYS).total(0, 132)).toBe(before + 7);
    expect(futex.countAt(131, rec.axis.rowOf(bucket.id))).toBe(7);
    expect(rec.seriesCounts(131, 132).get(3)![rec.axis.rowOf(bucket.id)]).toBe(7);
  });
});

describe('appending live seconds', () => {
  it('takes a second with a new key and a new bucket, and rebuilds the axis and grids with them', async () => {
    const rec = await openRecording(readFileSync(path), 'run.db', engine);
    const all = rec.grid(ALL_KEYS);
    const rows = rec.axis.length;
    rec.appendSecond({
      t: 130,
      wallMs: rec.info.startMs + 131_000,
      partial: false,
      newSeries: [{ id: 7, aggregation: '@lat_us', key: 'brk', keyParts: ['brk'], scheme: 'log2' }],
      newBuckets: [{ id: 99, lo: 1 << 30, hi: 2 ** 31 - 1 }],
      series: [
        { seriesId: 7, counts: { 99: 2 } },
        { seriesId: 3, counts: { [rec.axis.rows.find((b) => b.lo === 64)!.id]: 5 } },
      ],
    });
    expect(rec.axis.length).toBe(rows + 1);
    expect(rec.axis.rows.at(-1)).toEqual({ id: 99, lo: 1 << 30, hi: 2 ** 31 - 1 });
    const grid = rec.grid(ALL_KEYS);
    expect(grid).not.toBe(all);
    expect(grid.countAt(130, rec.axis.rowOf(99))).toBe(2);
    expect(grid.total(130, 131)).toBe(7);
    expect(grid.total(0, 130)).toBe(all.total(0, 130));
    expect(rec.series.at(-1)!.key).toBe('brk');
    expect(rec.keyTotals().get(7)).toBe(2);
    expect(rec.grid(isolate([7], rec.seriesIds)).total(0, 131)).toBe(2);
  });
});

describe('openRecording refuses what is not a readable recording', () => {
  const cases = [
    ['empty', 'empty', /empty \(0 bytes\)/],
    ['notSqlite', 'not-sqlite', /not a SQLite database/],
    ['notRecording', 'not-recording', /not a Heat Tracer recording/],
    ['newer', 'newer-version', /newer Heat Tracer \(format version 2; this viewer reads up to 1\)/],
    ['truncated', 'truncated', /cut short/],
  ] as const;

  it.each(cases)('%s -> %s', async (name, problem, reason) => {
    const files = writeBadFiles(dir, path);
    const file = files[name]!;
    const err = await openRecording(readFileSync(file), file.split('/').pop()!, engine).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RecordingError);
    expect((err as RecordingError).problem).toBe(problem);
    expect((err as RecordingError).message).toMatch(reason);
    expect((err as RecordingError).message.startsWith(`${file.split('/').pop()}: `)).toBe(true);
  });

  it('a recording with no seconds is empty', async () => {
    const file = join(dir, 'no-seconds.db');
    writeRecording(file, []);
    const err = await openRecording(readFileSync(file), 'no-seconds.db', engine).catch(
      (e: unknown) => e,
    );
    expect((err as RecordingError).problem).toBe('empty');
  });
});

describe('edge-case recordings', () => {
  it('keeps missed seconds apart from quiet ones', async () => {
    const file = join(dir, 'gaps.db');
    writeRecording(file, [second(0, { a: { 3: 5 } }), second(1, {}), second(4, { a: { 3: 1 } })]);
    const rec = await openRecording(readFileSync(file), 'gaps.db', engine);
    const grid = rec.grid(ALL_KEYS);
    expect([0, 1, 2, 3, 4].map((t) => grid.isPresent(t))).toEqual([true, true, false, false, true]);
    expect(rec.info.health.map((h) => [h.t, h.kind, h.count])).toEqual([[2, 'gap', 2]]);
  });
});

describe('sql engine sources', () => {
  it('decodes the WASM from a base64 data URL (a single-file viewer cannot fetch one under its CSP)', async () => {
    const { decodeDataUrl } = await import('../../../viewer/src/load/sql-engine.js');
    const wasm = readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm'));
    const bytes = decodeDataUrl(`data:application/wasm;base64,${wasm.toString('base64')}`);
    expect(Buffer.from(bytes).equals(wasm)).toBe(true);
    expect(() => decodeDataUrl('data:application/wasm,AGFz')).toThrow(/not base64/);
  });
});

describe('negative counts (D weights)', () => {
  // dtrace-utils' tst.lquantrange, a real capture: one second, bucket >= 10 holds Hoover's -100
  // and Bush's 150, Nixon has 25 below -10 and Harding 15 at -10. The heat is the positive counts.
  let rec: Recording;
  let top: number;
  beforeAll(async () => {
    const file = join(dir, 'lquantrange.db');
    importTrace(
      join(REPO_ROOT, 'test/fixtures/dtrace-real/dtrace-utils-aggs-tst.lquantrange.txt'),
      file,
      { commandLine: ['test'], startMs: START_MS },
    );
    rec = await openRecording(readFileSync(file), 'lquantrange.db', engine);
    top = rec.axis.rows.findIndex((b) => b.lo === 10 && b.hi === null);
  });
  const id = (key: string) => rec.series.find((s) => s.key === key)!.id;

  it('shows every positive count, in every key selection, whatever is negative beside it', () => {
    expect(rec.grid(ALL_KEYS).countAt(0, top)).toBe(150); // netted it was 50
    expect(rec.grid(ALL_KEYS).total(0, 1)).toBe(190);
    expect(rec.grid(isolate([id('Hoover')], rec.seriesIds)).total(0, 1)).toBe(0);
    // Read as all keys minus Nixon's rows: a netted all-keys sum came out 100 short.
    expect(rec.grid({ mode: 'except', ids: [id('Nixon')] }).total(0, 1)).toBe(165);
    const keyOf = (s: number) => rec.series.find((x) => x.id === s)!.key;
    expect(Object.fromEntries([...rec.keyTotals()].map(([s, n]) => [keyOf(s), n]))).toEqual({
      Hoover: 0,
      Nixon: 25,
      Harding: 15,
      Bush: 150,
    });
  });

  it("lists the recorder's note once: the viewer adds none of its own for the same counts", () => {
    const notes = rec.info.health.filter((h) => /^negative counts/.test(h.message));
    expect(notes).toEqual([
      expect.objectContaining({
        t: 0,
        kind: 'warning',
        count: 1,
        message: expect.stringMatching(
          /summing to -100 \(first: -100 in @\[Hoover\], bucket >= 10\)/,
        ),
      }),
    ]);
  });

  it('appends a live second: its negative counts are no heat in grids and totals', () => {
    const grid = rec.grid(ALL_KEYS);
    const bush = rec.grid(isolate([id('Bush')], rec.seriesIds));
    const bucket = rec.axis.rows[top]!.id;
    rec.appendSecond({
      t: 1,
      wallMs: rec.info.startMs + 2000,
      partial: false,
      series: [
        { seriesId: id('Bush'), counts: { [bucket]: -9 } },
        { seriesId: id('Hoover'), counts: { [bucket]: 4 } },
      ],
    });
    expect(grid.countAt(1, top)).toBe(4);
    expect(bush.total(1, 2)).toBe(0);
    expect(rec.keyTotals().get(id('Bush'))).toBe(150);
    expect(rec.keyTotals().get(id('Hoover'))).toBe(4);
  });
});
