// Real bpftrace, as root: heat-record --stacks on the two-path workload (test/fixtures/workloads/
// two-path.c: slow_path() sleeps 5 ms, fast_path() ~10 µs; at SCHED_FIFO, so a machine at load 20+
// does not delay the fast path's wakeups into the slow band), recorded twice at once, with
// --stacks-above 1ms and without. A box on the map (seconds x latency buckets) must hold the
// stacks of the path that made its events, and the stack counts must be the histogram's, exactly.

import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  committedSeconds,
  finished,
  firstSecondRecorded,
  runCli,
  startCli,
  waitFor,
} from '../helpers/cli.js';
import { compileWorkload } from '../helpers/sleep-workload.js';
import { boxShare, cells, sortedCells } from '../helpers/stack-boxes.js';
import { useTempDir } from '../helpers/temp-dir.js';
import { bpftraceSleepScript } from '../helpers/sleep-scripts.js';

const tmp = useTempDir();
const WORKLOAD_S = 4;
const SCRIPT = bpftraceSleepScript('two-path');

describe('bpftrace --stacks (real, root)', () => {
  it('records the default preset machine-wide with user and kernel stacks (the verifier takes the program)', async () => {
    // Loaded for real: --emit-elf compiles without the verifier, which once refused this program.
    const path = tmp('machine.db');
    const run = await runCli(['-o', path, '--quiet', '--stacks', 'both', '--duration', '2s']);
    expect(run.code, run.stderr).toBe(0);
    const db = new Database(path, { readonly: true });
    try {
      const meta = db.prepare("SELECT value FROM meta WHERE key = 'status'").get() as {
        value: string;
      };
      expect(meta.value).toBe('complete');
      const kernel = db.prepare("SELECT count(*) AS n FROM stack WHERE frames LIKE '%_[k]%'");
      expect((kernel.get() as { n: number }).n).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  let above: Database.Database;
  let all: Database.Database;
  let calls: { slow: number; fast: number };
  const codes: (number | null)[] = [];

  beforeAll(async () => {
    const exe = compileWorkload('two-path', tmp('two-path'), ['-O1', '-fno-omit-frame-pointer']);
    const paths = [tmp('above.db'), tmp('all.db')];
    const flags = [['--stacks', '--stacks-above', '1ms'], ['--stacks']];
    const recorders = paths.map((p, i) =>
      startCli(['-o', p, '--quiet', ...flags[i]!, '-e', SCRIPT]),
    );
    const done = recorders.map((r) => finished(r));
    await Promise.all(paths.map((p) => firstSecondRecorded(p)));
    const workload = spawn('chrt', ['-f', '50', exe, String(WORKLOAD_S)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const [line] = (await once(workload.stdout.setEncoding('utf8'), 'data')) as [string];
    const [slow, fast] = line.trim().split(' ').map(Number);
    calls = { slow: slow!, fast: fast! };
    // The loop is done; the workload lives on (stdin open) until its last seconds are printed
    // with their symbols: two more committed seconds in each recording.
    const now = paths.map((p) => committedSeconds(p));
    await Promise.all(
      paths.map((p, i) =>
        waitFor(() => committedSeconds(p) >= now[i]! + 2, 60_000, `two more seconds of ${p}`),
      ),
    );
    for (const r of recorders) r.kill('SIGINT');
    for (const d of done) codes.push((await d).code);
    workload.stdin.end();
    await once(workload, 'close');
    above = new Database(paths[0]!, { readonly: true });
    all = new Database(paths[1]!, { readonly: true });
  }, 120_000);

  afterAll(() => {
    above?.close();
    all?.close();
  });

  it('records the stacks and says so in the metadata', () => {
    expect(codes).toEqual([0, 0]);
    const meta = (db: Database.Database) =>
      Object.fromEntries(
        (
          db.prepare("SELECT key, value FROM meta WHERE key LIKE 'stacks%'").all() as {
            key: string;
            value: string;
          }[]
        ).map((r) => [r.key, r.value]),
      );
    expect(meta(above)).toEqual({ stacks: 'user', stacks_above: '1000' });
    expect(meta(all)).toEqual({ stacks: 'user', stacks_above: '0' });
    expect(calls.slow).toBeGreaterThan(100);
  });

  it('a box over the slow band holds its stack mass under slow_path', () => {
    const box = boxShare(above, 4096, 8191, 'slow_path');
    expect(box.share, box.rows).toBeGreaterThanOrEqual(0.9);
    expect(box.total).toBeGreaterThan(calls.slow / 2); // most slow calls are in it
  });

  it('a box over the fast band, recorded without a threshold, holds its mass under fast_path', () => {
    const box = boxShare(all, 0, 1023, 'fast_path');
    expect(box.share, box.rows).toBeGreaterThanOrEqual(0.9);
    expect(box.total).toBeGreaterThan(calls.fast / 2);
  });

  it('stack counts equal the histogram counts in every cell at or above the threshold, and none below', () => {
    const hist = cells(above, 'counts');
    const stacks = cells(above, 'stack_counts');
    let checked = 0;
    for (const [cell, h] of hist) {
      const s = stacks.get(cell)?.n ?? 0;
      if (h.lo >= 1000) expect(s, cell).toBe(h.n);
      if (h.hi < 1000) expect(s, cell).toBe(0);
      if (h.lo >= 1000) checked++;
    }
    expect(checked).toBeGreaterThan(WORKLOAD_S);
    for (const cell of stacks.keys()) expect(hist.has(cell), cell).toBe(true);
  });

  it('without a threshold every event carries a stack: the counts are equal cell by cell', () => {
    const hist = cells(all, 'counts');
    expect(hist.size).toBeGreaterThan(WORKLOAD_S);
    expect(sortedCells(cells(all, 'stack_counts'))).toEqual(sortedCells(hist));
  });
});
