// Live-mode helpers for the browser tests: a synthetic heat-record run (served live or not), the
// live control's state, what the viewer's model holds per second, and the same read from the
// file with better-sqlite3, so the two can be compared second by second.

import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import type {} from '../../../viewer/src/state/test-hooks.js';
import type { LiveCounts } from '../../../viewer/src/load/live-source.js';
import { committedSeconds } from '../../helpers/cli.js';
import { startLiveRecorder, type LiveRecorder } from '../../helpers/live-recorder.js';

/** `heat-record --tracer synthetic --serve` for `seconds` real seconds. */
export function recordLive(path: string, seconds: number): Promise<LiveRecorder> {
  return startLiveRecorder([
    '-o',
    path,
    '--tracer',
    'synthetic',
    '--keys',
    '4',
    '--duration',
    `${seconds}s`,
    '-q',
    '--serve',
  ]);
}

/** The live control's state: connecting, waiting, live, reconnecting or ended. */
export function liveStatus(page: Page): Promise<string | null> {
  return page.getByTestId('live-status').getAttribute('data-status');
}

/** Whether the Live button shows the view following the newest second. */
export async function following(page: Page): Promise<boolean> {
  return (await page.getByTestId('live').getAttribute('aria-pressed')) === 'true';
}

/** The visible window and the recording's extent, from the page's model. */
export async function liveView(
  page: Page,
): Promise<{ start: number; end: number; t0: number; recordingEnd: number }> {
  const v = await page.evaluate(() => window.__heatViewer!.view());
  if (!v) throw new Error('no recording open');
  return { start: v.start, end: v.end, t0: v.t0, recordingEnd: v.recordingEnd };
}

export function liveCounts(page: Page): Promise<LiveCounts | null> {
  return page.evaluate(() => window.__heatViewer!.live?.() ?? null);
}

/** [t, events over all keys] of every second the viewer's model holds. */
export function modelTotals(page: Page): Promise<[number, number][]> {
  return page.evaluate(() => window.__heatViewer!.secondTotals());
}

/** [t, events over all keys] of every second in the file. */
export function fileTotals(path: string): [number, number][] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db
      .prepare(
        'SELECT s.t AS t, (SELECT coalesce(sum(n), 0) FROM counts c WHERE c.t = s.t) AS n FROM second s ORDER BY s.t',
      )
      .all() as { t: number; n: number }[];
    return rows.map((r) => [r.t, r.n]);
  } finally {
    db.close();
  }
}

/** wall_ms of each committed second (the commit time on this machine's clock). */
export function commitTimes(path: string): Map<number, number> {
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

/** How many seconds the recording holds now (read beside the writer, as WAL allows). */
export const fileSeconds = committedSeconds;
