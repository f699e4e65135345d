// Which seconds a recording holds, as the viewer reads them at open: from second_run (a few rows,
// schemas/recording.sql) in files written since issue 13, from `second` itself in files written
// before, or when second_run does not end where `second` does. The same runs either way, whole or
// read in parts; in parts, the runs read a fraction of what `second` costs.

import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openInParts, openRecording } from '../../../viewer/src/load/open-recording.js';
import { BLOCK } from '../../../viewer/src/load/paged-file.js';
import { RecordingError } from '../../../viewer/src/load/recording-error.js';
import { sqlEngine, type SqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { writeSyntheticRecording } from '../../helpers/recordings.js';
import { fileSource } from '../helpers/file-source.js';
import { REPO_ROOT } from '../helpers/recordings.js';

const SECONDS = 20_000;
/** Seconds 1000-1009 and 15000 missed: three runs. */
const RUNS = [
  { first: 0, last: 999 },
  { first: 1010, last: 14_999 },
  { first: 15_001, last: SECONDS - 1 },
];

let engine: SqlEngine;
let dir: string;
/** Written by the writer of today, with the seconds above missed. */
let current: string;

/** A copy of `from` with its seconds rewritten in `edit` (the runs follow through the trigger). */
function editedCopy(from: string, to: string, edit: string): string {
  copyFileSync(from, to);
  const db = new Database(to);
  db.exec(`${edit}; VACUUM;`);
  db.close();
  return to;
}

/** The same recording as a file written before second_run: no table, no trigger. */
function olderCopy(from: string, to: string): string {
  return editedCopy(from, to, 'DROP TRIGGER second_run_add; DROP TABLE second_run');
}

/** Where `second` lies in the file, in bytes [from, to), past the first block (read for the header anyway). */
function secondTable(file: string): [number, number] {
  const db = new Database(file, { readonly: true });
  const pages = db
    .prepare("SELECT min(pageno) AS first, max(pageno) AS last FROM dbstat WHERE name = 'second'")
    .get() as { first: number; last: number };
  const size = db.pragma('page_size', { simple: true }) as number;
  db.close();
  return [Math.max((pages.first - 1) * size, BLOCK), pages.last * size];
}

/** The file opened in parts and whole; `secondBytes`: bytes of `second` read to open it in parts. */
async function openBoth(file: string) {
  const source = fileSource(file);
  const [from, to] = secondTable(file);
  let secondBytes = 0;
  const read = source.read.bind(source);
  source.read = (offset, length) => {
    secondBytes += Math.max(0, Math.min(offset + length, to) - Math.max(offset, from));
    return read(offset, length);
  };
  const parts = await openInParts(source, 'run.db', undefined, engine);
  const whole = await openRecording(readFileSync(file), 'run.db', engine);
  return { parts: parts!, whole, secondBytes, secondSize: to - from };
}

beforeAll(async () => {
  engine = await sqlEngine({
    bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
  });
  dir = mkdtempSync(join(tmpdir(), 'viewer-second-runs-'));
  const full = join(dir, 'full.db');
  writeSyntheticRecording(full, SECONDS, { keys: 1, seed: 3 });
  // Missed seconds as a tracer stall leaves them; seconds re-inserted in order, as the writer does.
  current = editedCopy(
    full,
    join(dir, 'current.db'),
    `CREATE TEMP TABLE kept AS SELECT * FROM second WHERE t NOT BETWEEN 1000 AND 1009 AND t <> 15000;
     DELETE FROM second; DELETE FROM second_run; INSERT INTO second SELECT * FROM kept ORDER BY t`,
  );
});

describe('the runs of recorded seconds', () => {
  it('are read from second_run, in parts and whole, and the model marks exactly those seconds', async () => {
    const { parts, whole } = await openBoth(current);
    expect(whole.info.secondRuns).toEqual(RUNS);
    expect(parts.info).toEqual(whole.info);
    expect([999, 1000, 1009, 1010, 14_999, 15_000, 15_001].map((t) => parts.isRecorded(t))).toEqual(
      [true, false, false, true, true, false, true],
    );
    expect([parts.t0, parts.end]).toEqual([0, SECONDS]);
  });

  it('come from `second` in a file written before second_run: the same info, and more read to open', async () => {
    const older = olderCopy(current, join(dir, 'older.db'));
    const now = await openBoth(current);
    const before = await openBoth(older);
    expect(before.whole.info.secondRuns).toEqual(RUNS);
    expect(before.parts.info).toEqual(now.whole.info);
    // Without runs, all of `second` (~400 KB); with them, the way to its last second (two blocks at most).
    expect(before.secondBytes).toBeGreaterThanOrEqual(before.secondSize);
    expect(now.secondBytes).toBeLessThanOrEqual(2 * BLOCK);
    expect(now.secondSize).toBeGreaterThan(4 * BLOCK);
  });

  it('come from `second` when second_run does not end where `second` does (a second removed behind its back)', async () => {
    const stale = editedCopy(
      current,
      join(dir, 'stale.db'),
      `DELETE FROM second WHERE t = ${SECONDS - 1}`,
    );
    const { parts, whole } = await openBoth(stale);
    const shorter = [...RUNS.slice(0, 2), { first: 15_001, last: SECONDS - 2 }];
    expect(whole.info.secondRuns).toEqual(shorter);
    expect(parts.info.secondRuns).toEqual(shorter);
  });

  it('that overlap are a damaged file, named as such', async () => {
    const overlapping = editedCopy(
      current,
      join(dir, 'overlap.db'),
      'UPDATE second_run SET last = 1500 WHERE first = 0',
    );
    await expect(openRecording(readFileSync(overlapping), 'overlap.db', engine)).rejects.toThrow(
      new RecordingError(
        'overlap.db',
        'damaged',
        'the file is damaged: second 1010 is stored twice or out of order',
      ),
    );
  });
});
