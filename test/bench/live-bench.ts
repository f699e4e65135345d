// Live figures for `npm run bench`: how long a committed second takes to be painted in the
// viewer, on loopback. `heat-record --tracer synthetic --serve` records for real; Chromium shows
// its URL and notes when each second first reaches the map's right edge (a test hook in the heat
// map's draw); a plain Node SSE client on the same /live stream is the baseline (the transport
// alone). Both are measured from second.wall_ms, the time the recorder took the second just
// before committing it, on the same machine clock, so the figures include the commit itself.

import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { packagePath } from '../../cli/package-root.js';
import { HEAT_RECORD } from '../helpers/cli.js';
import { startLiveRecorder } from '../helpers/live-recorder.js';
import { connectSse } from '../helpers/sse-client.js';
import type { BenchRow } from './bench-row.js';
import { median, p95 } from './bench-stats.js';
import { launchChromium } from '../helpers/chromium.js';

/** Live seconds measured (the recorder makes one per wall-clock second). */
const SECONDS = 40;
const TARGET_MS = 250;

export async function benchLiveLatency(): Promise<BenchRow[]> {
  for (const built of [packagePath('dist/viewer/index.html'), HEAT_RECORD]) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'heat-live-bench-'));
  const path = join(dir, 'live.db');
  const rec = await startLiveRecorder([
    '-o',
    path,
    '--tracer',
    'synthetic',
    '--keys',
    '8',
    '--duration',
    `${SECONDS + 30}s`,
    '-q',
    '--serve',
  ]);
  const browser = await launchChromium();
  const received = new Map<number, number>();
  const sse = connectSse(new URL('live', rec.base).href, {}, (e) => {
    if (e.event === 'second') received.set(Number(e.id), Date.now());
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(rec.url);
    const painted = await paintTimes(page, SECONDS);
    rec.child.kill('SIGINT');
    await rec.done;
    const committed = commitTimes(path);
    const viewer = latencies(painted, committed);
    const transport = latencies(received, committed);
    return [
      {
        name: `live: commit -> painted in the viewer, loopback (p95 of ${viewer.length} s; median ${fmt(median(viewer))} ms)`,
        value: p95(viewer),
        unit: 'ms',
        baseline: p95(transport),
        baselineName: 'commit -> SSE event in a Node client, p95',
        target: `p95 <= ${TARGET_MS} ms`,
        met: p95(viewer) <= TARGET_MS,
      },
    ];
  } finally {
    sse.close();
    rec.child.kill('SIGKILL');
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until `count` live seconds have been painted; returns t -> Date.now() of that frame. */
async function paintTimes(page: Page, count: number): Promise<Map<number, number>> {
  const read = async () =>
    new Map(
      Object.entries(
        (await page.evaluate('window.__heatViewer?.paintedAt ?? {}')) as Record<string, number>,
      ).map(([t, ms]) => [Number(t), ms]),
    );
  let times: Map<number, number>;
  const end = Date.now() + (count + 30) * 1000;
  while ((times = await read()).size < count) {
    if (Date.now() > end)
      throw new Error(`only ${times.size} of ${count} live seconds were painted`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return times;
}

/** second.wall_ms by t. */
function commitTimes(path: string): Map<number, number> {
  const db = new Database(path, { readonly: true });
  try {
    return new Map(
      (db.prepare('SELECT t, wall_ms FROM second').all() as { t: number; wall_ms: number }[]).map(
        (r) => [r.t, r.wall_ms],
      ),
    );
  } finally {
    db.close();
  }
}

function latencies(seen: Map<number, number>, committed: Map<number, number>): number[] {
  return [...seen].filter(([t]) => committed.has(t)).map(([t, ms]) => ms - committed.get(t)!);
}

function fmt(v: number): string {
  return v.toFixed(0);
}
