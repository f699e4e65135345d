// The differential flame graph's model on two real recordings (bpftrace, root): the two-path
// workload (test/fixtures/workloads/two-path.c) run twice at once, A with a slow call every 10th,
// B every 5th (twice the slow share), each recorded with --stacks. The same box on both, read and
// merged as Compare does (compare-box.ts, stack-box.ts, flame-tree.ts), puts the increase on
// slow_path and the decrease on fast_path, by the shares the workloads themselves counted.
// (test/viewer/browser/stacks.test.ts draws the differential in Chromium on hand-made files.)

import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRecording } from '../../../viewer/src/load/open-recording.js';
import { sqlEngine } from '../../../viewer/src/load/sql-engine.js';
import { bandOnAxis, boxOnBothSides } from '../../../viewer/src/model/compare-box.js';
import {
  buildDiffTree,
  matchedCounts,
  shareDelta,
  walk,
  type FlameNode,
} from '../../../viewer/src/model/flame-tree.js';
import type { Recording } from '../../../viewer/src/model/recording.js';
import { readBoxStacks } from '../../../viewer/src/model/stack-box.js';
import {
  committedSeconds,
  finished,
  firstSecondRecorded,
  startCli,
  waitFor,
} from '../../helpers/cli.js';
import { compileWorkload } from '../../helpers/sleep-workload.js';
import { useTempDir } from '../../helpers/temp-dir.js';
import { REPO_ROOT } from '../helpers/recordings.js';
import { bpftraceSleepScript } from '../../helpers/sleep-scripts.js';

const tmp = useTempDir();
const WORKLOAD_S = 4;
const SIDES = [
  { name: 'two-path-a', slowEvery: 10 },
  { name: 'two-path-b', slowEvery: 5 },
] as const;

/** Records one side's workload; resolves with its path and the calls it made (slow, fast). */
async function recordSide(side: (typeof SIDES)[number]) {
  const exe = compileWorkload('two-path', tmp(side.name), ['-O1', '-fno-omit-frame-pointer']);
  const path = tmp(`${side.name}.db`);
  const recorder = startCli([
    '-o',
    path,
    '--quiet',
    '--stacks',
    '-e',
    bpftraceSleepScript(side.name),
  ]);
  const done = finished(recorder);
  await firstSecondRecorded(path);
  // SCHED_FIFO, so a busy machine does not push fast sleeps into the slow band (as bpftrace-stacks.test.ts).
  const workload = spawn('chrt', ['-f', '50', exe, String(WORKLOAD_S), String(side.slowEvery)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(workload.stdout.setEncoding('utf8'), 'data')) as [string];
  const [slow, fast] = line.trim().split(' ').map(Number) as [number, number];
  // Two more seconds, printed (and named) while the workload lives.
  const now = committedSeconds(path);
  await waitFor(() => committedSeconds(path) >= now + 2, 60_000, `two more seconds of ${path}`);
  recorder.kill('SIGINT');
  const { code, stderr } = await done;
  workload.stdin.end();
  await once(workload, 'close');
  return { path, code, stderr, slow, fast };
}

/** The first node of that name (the frames above it are the same on both sides). */
function nodeNamed(root: FlameNode, name: string): FlameNode {
  let found: FlameNode | null = null;
  walk(root, (n) => (found ??= n.name === name ? n : null));
  return found!;
}

describe('the same box in A and B, on real recordings', () => {
  let sides: Awaited<ReturnType<typeof recordSide>>[];
  let recordings: Recording[];
  let tree: FlameNode;
  let spans: { a: { from: number; to: number }; b: { from: number; to: number } };

  beforeAll(async () => {
    sides = await Promise.all(SIDES.map(recordSide));
    const engine = await sqlEngine({
      bytes: readFileSync(join(REPO_ROOT, 'node_modules/sql.js/dist/sql-wasm.wasm')),
    });
    recordings = await Promise.all(
      sides.map((s, i) => openRecording(readFileSync(s.path), `${SIDES[i]!.name}.db`, engine)),
    );
    const [a, b] = recordings as [Recording, Recording];
    // The box drawn on B's map over all latencies, as long as the shorter recording.
    const length = Math.min(a.end - a.t0, b.end - b.t0);
    spans = boxOnBothSides(
      { from: b.t0, to: b.t0 + length, rows: null },
      { from: a.t0, to: a.end, onMap: false },
      { from: b.t0, to: b.end, onMap: true },
    )!;
    const read = (rec: Recording, span: { from: number; to: number }) =>
      readBoxStacks(rec, {
        ...span,
        buckets: bandOnAxis(null, b.axis, rec.axis),
        ids: rec.seriesIds,
      });
    const [sa, sb] = await Promise.all([read(a, spans.a), read(b, spans.b)]);
    tree = buildDiffTree(sa!.stacks, sb!.stacks);
  }, 180_000);

  it('both recordings end complete, with the slow share of B twice that of A', () => {
    for (const s of sides) expect(s.code, s.stderr).toBe(0);
    const share = (s: (typeof sides)[number]) => s.slow / (s.slow + s.fast);
    expect(share(sides[1]!) / share(sides[0]!)).toBeGreaterThan(1.6);
  });

  it('the differential puts the increase on slow_path and the decrease on fast_path', () => {
    expect(shareDelta(nodeNamed(tree, 'slow_path'), tree)).toBeGreaterThan(0.05);
    expect(shareDelta(nodeNamed(tree, 'fast_path'), tree)).toBeLessThan(-0.05);
  });

  it("each side's share of slow_path is the share of slow calls its workload made", () => {
    const [slowA, slowB] = matchedCounts(tree, (name) => name === 'slow_path') as [number, number];
    const [totalA, totalB] = tree.counts as [number, number];
    const calls = sides.map((s) => s.slow / (s.slow + s.fast));
    expect(slowA / totalA).toBeCloseTo(calls[0]!, 1);
    expect(slowB / totalB).toBeCloseTo(calls[1]!, 1);
  });

  it("the counts of each side are the file's own stack counts over the box's seconds", () => {
    const [slowA, slowB] = matchedCounts(tree, (name) => name === 'slow_path');
    sides.forEach((s, i) => {
      const span = [spans.a, spans.b][i]!;
      const db = new Database(s.path, { readonly: true });
      const rows = db
        .prepare(
          'SELECT frames, sum(n) AS n FROM stack_counts WHERE t >= ? AND t < ? GROUP BY frames',
        )
        .all(span.from, span.to) as { frames: string; n: number }[];
      db.close();
      const slow = rows
        .filter((r) => (JSON.parse(r.frames) as string[]).includes('slow_path'))
        .reduce((sum, r) => sum + r.n, 0);
      expect(slow).toBe([slowA, slowB][i]);
    });
  });
});
