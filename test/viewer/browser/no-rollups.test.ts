// A recording without rollups (an older recorder's, or its rollup tables emptied) opens in
// Chromium with a one-time build and paints exactly the pixels of the same recording with them:
// the whole range (10-second windows), a zoom (per second) and one key alone (per-key rows).

import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeSyntheticRecording } from '../../helpers/recordings.js';
import {
  canvasChecksum,
  newViewerPage,
  openByUrl,
  settle,
  viewWindow,
} from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';

const session = useViewerSession('viewer-no-rollups-', async (path) => {
  writeSyntheticRecording(path('with.db'), 7200, { keys: 10, seed: 6 });
  copyFileSync(path('with.db'), path('without.db'));
  const db = new Database(path('without.db'));
  db.exec('DELETE FROM rollup; DELETE FROM rollup_state; VACUUM;');
  db.close();
});

/** The canvas checksum and view of a page after the view hash is set. */
async function paint(
  page: Page,
  hash: string,
): Promise<{ checksum: number; window: { start: number; end: number } }> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await settle(page);
  return { checksum: await canvasChecksum(page), window: await viewWindow(page) };
}

describe('a recording without rollups', () => {
  it('opens and shows the same pixels as with them, zoomed out, zoomed in and for one key', async () => {
    const pages = [];
    for (const name of ['with.db', 'without.db']) {
      const { page, problems } = await newViewerPage(session);
      await openByUrl(page, session, name);
      pages.push({
        page,
        problems,
        built: await page.evaluate(
          () => performance.getEntriesByName('heat:rollups-built').length > 0,
        ),
      });
    }
    const [a, b] = pages as [(typeof pages)[0], (typeof pages)[0]];
    expect([a.built, b.built]).toEqual([false, true]);
    // Whole range: 10 s windows; five minutes: seconds; one key: per-key rows.
    const checksums = new Set<number>();
    for (const hash of ['t=0-7200', 't=3000-3300', 't=0-7200&k=only:3']) {
      const [pa, pb] = [await paint(a.page, hash), await paint(b.page, hash)];
      const [from, to] = /t=(\d+)-(\d+)/.exec(hash)!.slice(1).map(Number);
      expect([pa.window, pb.window], hash).toEqual([
        { start: from, end: to },
        { start: from, end: to },
      ]);
      checksums.add(pa.checksum);
      expect(pb.checksum, hash).toBe(pa.checksum);
    }
    expect(checksums.size).toBe(3); // three different pictures, each the same with and without rollups
    expect([a.problems.errors, b.problems.errors]).toEqual([[], []]);
  });
});
