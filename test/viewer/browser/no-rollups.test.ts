// A recording without rollups (an older recorder's, or its rollup tables emptied) opens in
// Chromium with a one-time build and paints exactly the pixels of the same recording with them:
// the whole range (10-second windows), a zoom (per second) and one key alone (per-key rows).

import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSyntheticRecording } from '../../helpers/recordings.js';
import { canvasChecksum, newViewerPage, openByUrl, settle, startViewer, viewWindow, type ViewerSession } from '../helpers/browser.js';

let dir: string;
let session: ViewerSession;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'viewer-no-rollups-'));
  writeSyntheticRecording(join(dir, 'with.db'), 7200, { keys: 10, seed: 6 });
  copyFileSync(join(dir, 'with.db'), join(dir, 'without.db'));
  const db = new Database(join(dir, 'without.db'));
  db.exec('DELETE FROM rollup; DELETE FROM rollup_state; VACUUM;');
  db.close();
  session = await startViewer(dir);
});

afterAll(async () => {
  await session?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The canvas checksum of a recording opened at a view, and whether the page built rollups. */
async function paint(name: string, hash: string): Promise<{ checksum: number; built: boolean; window: { start: number; end: number } }> {
  const { page, problems } = await newViewerPage(session);
  await openByUrl(page, session, name, hash);
  await settle(page);
  const built = await page.evaluate(() => performance.getEntriesByName('heat:rollups-built').length > 0);
  const out = { checksum: await canvasChecksum(page), built, window: await viewWindow(page) };
  expect(problems.errors).toEqual([]);
  await page.close();
  return out;
}

describe('a recording without rollups', () => {
  it('opens and shows the same pixels as with them, zoomed out, zoomed in and for one key', async () => {
    for (const hash of ['', 't=3000-3300', 'k=only:3']) {
      const a = await paint('with.db', hash);
      const b = await paint('without.db', hash);
      expect([a.built, b.built], hash).toEqual([false, true]);
      expect(b.window).toEqual(a.window);
      expect(b.checksum, hash).toBe(a.checksum);
    }
  });
});
