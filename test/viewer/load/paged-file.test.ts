// A recording opened in parts (PagedFile under sql.js) answers every read exactly as the same file
// read whole, while reading a fraction of it; files that would need a read per page (tables
// interleaved), WAL-mode files and files whose rollups must be built are left to be read whole.

import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordingSchema } from '../../../cli/store/sqlite.js';
import { openInParts, openRecording } from '../../../viewer/src/load/open-recording.js';
import { sqlEngine, type SqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { buildColumnFrame } from '../../../viewer/src/model/column-frame.js';
import { ALL_KEYS, isolate, type KeySelection } from '../../../viewer/src/model/key-selection.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { DetailPending } from '../../../viewer/src/model/recording-source.js';
import { RecordingError } from '../../../viewer/src/load/recording-error.js';
import { recordSynthetic, REPO_ROOT } from '../helpers/recordings.js';
import type { ByteSource } from '../../../viewer/src/load/paged-file.js';
import { fileSource } from '../helpers/file-source.js';

let engine: SqlEngine;
let dir: string;
let path: string;
let whole: Recording;

/** Runs a read of a recording opened in parts until its parts are in hand. */
async function settled<T>(read: () => T): Promise<T> {
  for (;;) {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof DetailPending)) throw err;
      await err.ready;
    }
  }
}

/** The frame a view would paint, once every chunk it needs is read. */
async function frameOf(
  rec: Recording,
  sel: KeySelection,
  start: number,
  end: number,
  columns: number,
): Promise<Float64Array> {
  const counts = rec.counts(sel);
  for (let i = 0; i < 200; i++) {
    const grid = counts.gridFor(start, end, columns);
    if (grid.complete !== false) return buildColumnFrame(grid, start, end, columns).counts.slice();
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('the frame never completed');
}

/** The same rows as `from`, written second by second as a recorder writes them: tables interleave. */
function interleavedCopy(from: string, to: string): void {
  const src = new Database(from, { readonly: true });
  const out = new Database(to);
  out.pragma('synchronous = OFF'); // a transaction per second, as recorded; no need to wait for the disk in a test
  out.exec(recordingSchema());
  for (const table of ['meta', 'series', 'bucket', 'health', 'rollup_state']) {
    for (const row of src.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
      out
        .prepare(
          `INSERT OR REPLACE INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(
            row,
          )
            .map(() => '?')
            .join(', ')})`,
        )
        .run(...Object.values(row));
    }
  }
  const seconds = src.prepare('SELECT * FROM second ORDER BY t').all() as { t: number }[];
  const hist = src.prepare('SELECT * FROM hist WHERE t = ?');
  const rollupsEnding = new Map<number, Record<string, unknown>[]>();
  for (const r of src.prepare('SELECT * FROM rollup').all() as { t: number; level: number }[]) {
    const last = r.t + r.level - 1;
    rollupsEnding.set(last, [...(rollupsEnding.get(last) ?? []), r]);
  }
  const [addSecond, addHist, addRollup] = [
    'INSERT INTO second VALUES (?, ?, ?, ?, ?)',
    'INSERT INTO hist VALUES (?, ?, ?)',
    'INSERT INTO rollup VALUES (?, ?, ?, ?)',
  ].map((sql) => out.prepare(sql));
  const add = out.transaction((s: { t: number }) => {
    addSecond!.run(...Object.values(s));
    for (const h of hist.all(s.t) as Record<string, unknown>[]) addHist!.run(...Object.values(h));
    for (const r of rollupsEnding.get(s.t) ?? []) addRollup!.run(...Object.values(r));
  });
  for (const s of seconds) add(s);
  out.pragma(`user_version = ${src.pragma('user_version', { simple: true }) as number}`);
  out.pragma(`application_id = ${src.pragma('application_id', { simple: true }) as number}`);
  src.close();
  out.close();
}

/** The same recording with rollup keyed as files written before issue 13 are: (level, t, series_id). */
function olderRollupKeyCopy(from: string, to: string): void {
  copyFileSync(from, to);
  const db = new Database(to);
  db.exec(`BEGIN;
    CREATE TABLE older (level INTEGER NOT NULL, t INTEGER NOT NULL, series_id INTEGER NOT NULL,
      counts TEXT NOT NULL, PRIMARY KEY (level, t, series_id)) WITHOUT ROWID;
    INSERT INTO older SELECT level, t, series_id, counts FROM rollup;
    DROP TABLE rollup;
    ALTER TABLE older RENAME TO rollup;
    COMMIT;
    VACUUM;`);
  db.close();
}

beforeAll(async () => {
  engine = await sqlEngine({
    bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
  dir = mkdtempSync(join(tmpdir(), 'viewer-parts-'));
  path = join(dir, 'run.db');
  await recordSynthetic(path, { seconds: 7200, keys: 12, seed: 5 });
  whole = await openRecording(readFileSync(path), 'run.db', engine);
});

describe('a recording opened in parts', () => {
  it('reads what the recording is from a fraction of the file', async () => {
    const source = fileSource(path);
    const rec = await openInParts(source, 'run.db', undefined, engine);
    expect(rec).not.toBeNull();
    expect(rec!.info).toEqual(whole.info);
    expect(source.bytes).toBeLessThan(source.size / 4);
    expect(rec!.heldBytes).toBeLessThan(source.size / 4);
    expect(whole.heldBytes).toBeNull();
  });

  it('answers every read exactly as the whole file: totals, ranges, frames at every zoom, a clip', async () => {
    const source = fileSource(path);
    const rec = (await openInParts(source, 'run.db', undefined, engine))!;
    expect(await settled(() => rec.keyTotals())).toEqual(whole.keyTotals());
    for (const [from, to] of [
      [0, 7200],
      [13, 4057],
      [3599, 3601],
      [7100, 7200],
    ] as const) {
      expect(await settled(() => rec.seriesCounts(from, to)), `${from}-${to}`).toEqual(
        whole.seriesCounts(from, to),
      );
    }
    const one = isolate([rec.seriesIds[3]!], rec.seriesIds);
    for (const [sel, start, end, columns] of [
      [ALL_KEYS, 0, 7200, 900],
      [ALL_KEYS, 1000, 1300, 600],
      [one, 0, 7200, 700],
      [one, 5000, 5240, 480],
    ] as const) {
      expect(await frameOf(rec, sel, start, end, columns), `${start}-${end}`).toEqual(
        await frameOf(whole, sel, start, end, columns),
      );
    }
    const note = { command: 'test', source: 'run.db' };
    const [a, b] = [await rec.clip(600, 1800, note), await whole.clip(600, 1800, note)];
    const clipped = await openRecording(a!, 'a.db', engine);
    const expected = await openRecording(b!, 'b.db', engine);
    expect(clipped.info.secondRuns).toEqual(expected.info.secondRuns);
    expect(clipped.seriesCounts(0, 1200)).toEqual(expected.seriesCounts(0, 1200));
  });

  it('opens a file with the older rollup key with the same answers, and the new key reads less to open', async () => {
    const older = join(dir, 'older-key.db');
    olderRollupKeyCopy(path, older);
    const read: Record<string, number> = {};
    for (const file of [path, older]) {
      const source = fileSource(file);
      const rec = (await openInParts(source, file, undefined, engine))!;
      read[file] = source.bytes; // opening reads the all-keys windows the first frame draws
      expect(rec.info).toEqual({ ...whole.info, name: file });
      expect(await settled(() => rec.keyTotals())).toEqual(whole.keyTotals());
      expect(await settled(() => rec.seriesCounts(13, 4057))).toEqual(whole.seriesCounts(13, 4057));
      // A fresh whole copy: the frame a view paints depends on what it drew before.
      const fresh = await openRecording(readFileSync(path), 'run.db', engine);
      const one = isolate([rec.seriesIds[3]!], rec.seriesIds);
      for (const [sel, start, end] of [
        [ALL_KEYS, 0, 7200],
        [one, 0, 7200],
        [one, 5000, 5240],
      ] as const)
        expect(await frameOf(rec, sel, start, end, 700), `${file} ${start}-${end}`).toEqual(
          await frameOf(fresh, sel, start, end, 700),
        );
    }
    // 12 keys' 60 s windows no longer lie between the all-keys ones.
    expect(read[path]).toBeLessThan(read[older]!);
  });

  it('gives up on a file whose tables interleave after a bounded number of reads (or opens it right)', async () => {
    const scattered = join(dir, 'interleaved.db');
    interleavedCopy(path, scattered);
    const check = await openRecording(readFileSync(scattered), 'interleaved.db', engine);
    expect(check.keyTotals()).toEqual(whole.keyTotals()); // the same recording, laid out as recorded
    const source = fileSource(scattered);
    const rec = await openInParts(source, 'interleaved.db', undefined, engine);
    // The budget for a 9 MB file is 17 reads (one per 512 KB, at least 16), plus the header's,
    // plus the fetches the walks side by side had under way when it ran out (a few).
    expect(source.reads).toBeLessThanOrEqual(1 + 17 + 6);
    if (rec) expect(await settled(() => rec.keyTotals())).toEqual(whole.keyTotals());
  });

  it('leaves WAL-mode files and files whose rollups must be built to be read whole', async () => {
    const wal = join(dir, 'wal.db');
    const bytes = readFileSync(path);
    bytes[18] = 2;
    bytes[19] = 2;
    writeFileSync(wal, bytes);
    expect(await openInParts(fileSource(wal), 'wal.db', undefined, engine)).toBeNull();
    const bare = join(dir, 'no-rollups.db');
    writeFileSync(bare, readFileSync(path));
    const db = new Database(bare);
    db.exec('DELETE FROM rollup; DELETE FROM rollup_state; VACUUM');
    db.close();
    expect(await openInParts(fileSource(bare), 'no-rollups.db', undefined, engine)).toBeNull();
  });

  it('reports once a file that can no longer be read, and keeps later reads pending rather than failing', async () => {
    const source = fileSource(path);
    let gone = false;
    const failing: ByteSource = {
      size: source.size,
      read: (offset, length) =>
        gone
          ? Promise.reject(new RecordingError('run.db', 'unreadable', 'the file was moved'))
          : source.read(offset, length),
    };
    const rec = (await openInParts(failing, 'run.db', undefined, engine))!;
    const failures: unknown[] = [];
    rec.readFailed.subscribe((err) => failures.push(err));
    gone = true;
    let pending: unknown;
    try {
      rec.seriesCounts(101, 4000, [rec.seriesIds[0]!]);
    } catch (err) {
      pending = err;
    }
    expect(pending).toBeInstanceOf(DetailPending);
    await expect((pending as DetailPending).ready).rejects.toThrow(/the file was moved/);
    expect(failures).toHaveLength(1);
    expect(() => rec.seriesCounts(5001, 7000, [rec.seriesIds[1]!])).toThrow(DetailPending);
    expect(failures).toHaveLength(1);
  });

  it('refuses what is not a recording with the same errors as a whole file', async () => {
    const notDb = join(dir, 'text.db');
    writeFileSync(notDb, 'hello'.repeat(20000));
    await expect(openInParts(fileSource(notDb), 'text.db', undefined, engine)).rejects.toThrow(
      /not a SQLite database/,
    );
  });
});
