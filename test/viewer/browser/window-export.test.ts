// "Export this window" in Chromium: the visible seconds saved as .db hold exactly the window's
// counts of the original (renumbered from 0), the same seconds, health and rollups as
// `heat-record clip` writes for the same window; saved as .html, the page opens offline from
// file:// and paints that clip.

import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { writeSyntheticRecording } from '../../helpers/recordings.js';
import { newViewerPage, openByUrl, viewWindow } from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';

const session = useViewerSession('viewer-window-export-', async (path) => {
  writeSyntheticRecording(path('run.db'), 300, { keys: 4, seed: 9 });
});

async function save(
  page: Page,
  button: string,
  name: string,
): Promise<{ path: string; suggested: string }> {
  await page.getByTestId('more').click(); // exports live in the toolbar's More menu
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(button).click(),
  ]);
  const path = session.path(name);
  await download.saveAs(path);
  return { path, suggested: download.suggestedFilename() };
}

/** Rows of a query, each as a JSON string, sorted: compares tables whatever their ids. */
function rows(file: string, sql: string): string[] {
  const db = new Database(file, { readonly: true });
  const out = (db.prepare(sql).all() as unknown[]).map((r) => JSON.stringify(r)).sort();
  db.close();
  return out;
}

/** Counts by key and bucket bounds, and rollups the same way (series 0 as "*"), seconds shifted by `shift`. */
const COUNTS = (shift: number, where = '1') =>
  `SELECT t - ${shift} AS t, key, lo, hi, n FROM counts WHERE ${where}`;
const ROLLUPS = `SELECT r.level, r.t, coalesce(s.key, '*') AS key, b.lo, b.hi, j.value AS n
  FROM rollup r LEFT JOIN series s ON s.id = r.series_id JOIN json_each(r.counts) j JOIN bucket b ON b.id = j.key`;

describe('exporting the visible window', () => {
  it('as .db: the window of the original, as heat-record clip writes it', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=100-160');
    expect(await viewWindow(page)).toEqual({ start: 100, end: 160 });
    const { path, suggested } = await save(page, 'export-window-db', 'window.db');
    expect(suggested).toBe('run-100-160s.db');
    const original = session.path('run.db');
    expect(rows(path, COUNTS(0))).toEqual(rows(original, COUNTS(100, 't >= 100 AND t < 160')));
    expect(rows(path, 'SELECT count(*) AS n, min(t) AS a, max(t) AS b FROM second')).toEqual([
      '{"n":60,"a":0,"b":59}',
    ]);

    const cli = session.path('cli.db');
    const clip = await runCli(['clip', original, '--from', '100', '--to', '159', '-o', cli]);
    expect(clip.code, clip.stderr).toBe(0);
    expect(rows(path, COUNTS(0))).toEqual(rows(cli, COUNTS(0)));
    expect(rows(path, 'SELECT t, wall_ms, events, partial FROM second')).toEqual(
      rows(cli, 'SELECT t, wall_ms, events, partial FROM second'),
    );
    expect(rows(path, ROLLUPS)).toEqual(rows(cli, ROLLUPS));
    expect(rows(path, 'SELECT level, through FROM rollup_state')).toEqual(
      rows(cli, 'SELECT level, through FROM rollup_state'),
    );
    const meta = (file: string) =>
      Object.fromEntries(
        rows(file, 'SELECT key, value FROM meta')
          .map((r) => JSON.parse(r) as { key: string; value: string })
          .map((r) => [r.key, r.value]),
      );
    const [ours, theirs] = [meta(path), meta(cli)];
    for (const key of ['start_ms', 'start_time', 'unit', 'script', 'host', 'tracer', 'status'])
      expect(ours[key], key).toBe(theirs[key]);
    expect(JSON.parse(ours.derived_from!)).toEqual({
      command: 'heat viewer: export window',
      source: 'run.db',
      from: 100,
      to: 159,
    });
    expect(rows(path, 'PRAGMA application_id')).toEqual(rows(original, 'PRAGMA application_id'));
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('as .html: a page that opens offline from file:// with that window in it', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=100-160');
    const { path, suggested } = await save(page, 'export-window-html', 'window.html');
    expect(suggested).toBe('run-100-160s.html');
    await page.close();

    const context = await session.browser.newContext({ viewport: { width: 1500, height: 1000 } });
    await context.setOffline(true);
    await context.route(/^https?:/, (route) => route.abort());
    const offline = await context.newPage();
    const errors: string[] = [];
    offline.on('pageerror', (e) => errors.push(e.message));
    await offline.goto(`file://${path}`);
    await offline.waitForFunction(
      () => (window.__heatViewer?.openToPaintMs.length ?? 0) > 0,
      undefined,
      { timeout: 30_000 },
    );
    expect(await offline.getByTestId('file-name').textContent()).toBe('run-100-160s.db');
    expect(await viewWindow(offline)).toEqual({ start: 0, end: 60 });
    expect(errors).toEqual([]);
    await context.close();
  });
});
