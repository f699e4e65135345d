// LiveReads.countsThrough (where /metrics starts its totals) sums to exactly what the hist rows
// sum to, on real synthetic recordings: finished, read from a tail that started earlier than the
// rollups reach, and still being written (rollups short of the newest second).

import { describe, expect, it } from 'vitest';
import { addCount, type Count } from '../../cli/store/bucket-counts.js';
import { LiveReads, type LiveHistRow } from '../../cli/store/live-reads.js';
import { openDatabase } from '../../cli/store/sqlite.js';
import { finished, runCli, startCli, waitFor } from '../helpers/cli.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** "series:bucket" -> count summed over the rows. */
function totals(rows: Iterable<LiveHistRow>): Map<string, Count> {
  const sums = new Map<string, Count>();
  for (const r of rows)
    for (const [id, n] of r.counts) {
      const k = `${r.seriesId}:${id}`;
      sums.set(k, addCount(sums.get(k) ?? 0, n));
    }
  return sums;
}

const synthetic = (path: string, duration: string) => [
  '-o',
  path,
  '--tracer',
  'synthetic',
  '--fast',
  '--duration',
  duration,
  '--keys',
  '6',
  '--quiet',
];

describe('LiveReads.countsThrough', () => {
  it('equals the hist sums of a finished recording, through its end and through earlier seconds', async () => {
    const path = tmp('finished.db');
    // 2 h 10 min 30 s: hour, 10-minute and minute windows, then 30 seconds of hist.
    const made = await runCli(synthetic(path, '7830s'));
    expect(made.code, made.stderr).toBe(0);
    LiveReads.run(path, (reads) => {
      const newest = reads.newestSecond();
      expect(newest).toBe(7829);
      for (const throughT of [newest, 7805, 7799, 7200, 5000, 3600, 3599, 59, 0]) {
        const fromRollups = [...reads.countsThrough(throughT)];
        expect(totals(fromRollups), `through ${throughT}`).toEqual(
          totals(reads.histThrough(throughT)),
        );
        if (throughT === newest) {
          // 2 hours + 1 ten-minute window + 0 minutes + 30 s of hist, per key: not every hist row.
          expect(fromRollups.length).toBe(6 * (2 + 1 + 30));
        }
      }
    });
  }, 300_000);

  it('equals the hist sums while the recording is written, its rollups short of the newest second', async () => {
    const path = tmp('growing.db');
    const child = startCli(synthetic(path, '3h'));
    const done = finished(child);
    const seen = await waitFor(
      () =>
        LiveReads.run(path, (reads) => {
          const newest = reads.newestSecond();
          if (newest < 3700) return undefined;
          return {
            rows: [...reads.countsThrough(newest)].length,
            histRows: [...reads.histThrough(newest)].length,
            fromRollups: totals(reads.countsThrough(newest)),
            fromHist: totals(reads.histThrough(newest)),
          };
        }),
      300_000,
      'a recording past its first hour',
    );
    child.kill('SIGINT');
    await done;
    expect(seen.rows).toBeLessThan(seen.histRows / 10); // the first hour came from rollups
    expect(seen.fromRollups.size).toBeGreaterThan(0);
    expect(seen.fromRollups).toEqual(seen.fromHist);
  }, 300_000);

  it('reads hist alone where rollups have the older key (level, t, series_id) or are missing', async () => {
    const path = tmp('older.db');
    const made = await runCli(synthetic(path, '4000s'));
    expect(made.code, made.stderr).toBe(0);
    const expected = LiveReads.run(path, (reads) => totals(reads.histThrough(3999)));
    // The layout files had before issue 13 item 10, with the same rows; then no rollups at all.
    const db = openDatabase(path);
    db.exec(`CREATE TABLE old_rollup (level INTEGER NOT NULL, t INTEGER NOT NULL,
        series_id INTEGER NOT NULL, counts TEXT NOT NULL, PRIMARY KEY (level, t, series_id)) WITHOUT ROWID;
      INSERT INTO old_rollup SELECT level, t, series_id, counts FROM rollup;
      DROP TABLE rollup; ALTER TABLE old_rollup RENAME TO rollup;`);
    db.close();
    LiveReads.run(path, (reads) => {
      expect([...reads.countsThrough(3999)].length).toBe([...reads.histThrough(3999)].length);
      expect(totals(reads.countsThrough(3999))).toEqual(expected);
    });
    const bare = openDatabase(path);
    bare.exec('DROP TABLE rollup; DROP TABLE rollup_state;');
    bare.close();
    LiveReads.run(path, (reads) => expect(totals(reads.countsThrough(3999))).toEqual(expected));
  }, 300_000);
});
