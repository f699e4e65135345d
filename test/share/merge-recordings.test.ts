// heat-record merge: per-host totals in the merged file equal each source's totals, seconds
// are aligned on wall-clock time, and the host becomes the first key element.

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { newRecordingMeta } from '../../cli/record/recording-meta.js';
import { RecordingWriter } from '../../cli/store/recording-writer.js';
import { SyntheticGenerator } from '../../cli/tracers/synthetic.js';
import { runCli } from '../helpers/cli.js';
import { START_MS } from '../helpers/recordings.js';
import { useTempDir } from '../helpers/temp-dir.js';

const tmp = useTempDir();

/** A recording "from" host, starting offsetS seconds after START_MS. */
function hostRecording(
  path: string,
  host: string,
  offsetS: number,
  seconds: number,
  seed: number,
  unit: 'us' | 'ns' = 'us',
): void {
  const start = START_MS + offsetS * 1000;
  const meta = {
    ...newRecordingMeta(
      { preset: 'syscall-latency', unit, text: '# x' },
      { name: 'bpftrace', version: 'v0.17.0' },
      ['x'],
      start,
    ),
    host,
  };
  const writer = RecordingWriter.create(path, meta);
  const gen = new SyntheticGenerator({ keys: 4, seed });
  for (let t = 0; t < seconds; t++)
    writer.append({
      t,
      wallMs: start + (t + 1) * 1000,
      histograms: gen.second(t),
      health: [],
      partial: false,
    });
  writer.finish({ end_ms: String(start + seconds * 1000), status: 'complete' });
}

const totalsByKey = (path: string) =>
  new Map(
    (
      new Database(path, { readonly: true })
        .prepare('SELECT key, sum(n) AS n FROM counts GROUP BY key')
        .all() as { key: string; n: number }[]
    ).map((r) => [r.key, r.n]),
  );

describe('heat-record merge', () => {
  it("keeps every source's totals under its host and aligns seconds on wall time", async () => {
    const [a, b, out] = [tmp('web1.db'), tmp('web2.db'), tmp('fleet.db')];
    hostRecording(a, 'web1', 0, 40, 1);
    hostRecording(b, 'web2', 15, 40, 2);
    const result = await runCli(['merge', a, b, '-o', out]);
    expect(result.code, result.stderr).toBe(0);
    const merged = totalsByKey(out);
    for (const [host, file] of [
      ['web1', a],
      ['web2', b],
    ] as const) {
      for (const [key, n] of totalsByKey(file))
        expect(merged.get(`${host}, ${key}`), `${host}, ${key}`).toBe(n);
    }
    expect(merged.size).toBe(8);
    const db = new Database(out, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n, max(t) AS last FROM second').get()).toEqual({
      n: 55,
      last: 54,
    });
    // web2's second 0 is the merged second 15.
    const web2First = new Database(b, { readonly: true })
      .prepare('SELECT sum(n) AS n FROM counts WHERE t = 0')
      .get() as { n: number };
    expect(
      db.prepare("SELECT sum(n) AS n FROM counts WHERE t = 15 AND key LIKE 'web2, %'").get(),
    ).toEqual(web2First);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'host'").get()).toEqual({
      value: 'web1, web2',
    });
  });

  it('names a host twice by file, and refuses mixed units', async () => {
    const [a, b, c] = [tmp('same1.db'), tmp('same2.db'), tmp('ns.db')];
    hostRecording(a, 'db', 0, 5, 3);
    hostRecording(b, 'db', 0, 5, 4);
    hostRecording(c, 'db', 0, 5, 5, 'ns');
    const ok = await runCli(['merge', a, b, '-o', tmp('dup.db')]);
    expect(ok.stderr).toMatch(/\(db \(same1\.db\), db \(same2\.db\)\)/);
    const bad = await runCli(['merge', a, c, '-o', tmp('mixed.db')]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toMatch(/ns\.db records ns but .*same1\.db records us/);
  });
});
