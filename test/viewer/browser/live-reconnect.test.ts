// A dropped live connection in Chromium: the network between the page and heat-record --serve
// is cut mid-stream (every socket reset, new ones refused) while seconds keep being committed.
// The page shows it is reconnecting, the browser reconnects by itself, the server backfills what
// was missed, and in the end the viewer's model holds every second of the file exactly once.

import { describe, expect, it } from 'vitest';
import { newViewerPage, waitForPaint } from '../helpers/browser.js';
import { startDropProxy } from '../helpers/drop-proxy.js';
import {
  commitTimes,
  fileTotals,
  liveCounts,
  liveStatus,
  modelTotals,
  recordLive,
} from '../helpers/live.js';
import { useChromium } from '../helpers/browser-hooks.js';

const CUT_MS = 3000;
const chromium = useChromium('viewer-live-drop-');

describe('live mode over a dropped connection', () => {
  it('reconnects by itself and ends with every second exactly once', async () => {
    const path = chromium.path('live.db');
    const rec = await recordLive(path, 60);
    const proxy = await startDropProxy(rec.base);
    const { page, problems } = await newViewerPage(chromium);
    try {
      await page.goto(new URL(new URL(rec.url).search, proxy.base).href);
      await waitForPaint(page);
      await expect.poll(() => liveStatus(page)).toBe('live');
      await expect
        .poll(async () => (await liveCounts(page))?.applied ?? 0, { timeout: 5000 })
        .toBeGreaterThanOrEqual(2);

      const cutAt = Date.now();
      const cut = proxy.cut(CUT_MS);
      await expect.poll(() => liveStatus(page)).toBe('reconnecting');
      await cut;
      const resumedAt = Date.now();
      await expect
        .poll(async () => (await liveCounts(page))?.connections, { timeout: 5000 })
        .toBeGreaterThanOrEqual(2);
      const applied = (await liveCounts(page))!.applied;
      await expect
        .poll(async () => (await liveCounts(page))?.applied, { timeout: 5000 })
        .toBeGreaterThan(applied + 1);

      rec.child.kill('SIGINT');
      expect((await rec.done).code).toBe(0);
      await expect.poll(() => liveStatus(page), { timeout: 5000 }).toBe('ended');

      // The outage was real: the browser was refused, and seconds were committed meanwhile.
      expect(proxy.refused).toBeGreaterThanOrEqual(1);
      const committedDuringCut = [...commitTimes(path).values()].filter(
        (ms) => ms > cutAt && ms < resumedAt,
      );
      expect(committedDuringCut.length).toBeGreaterThanOrEqual(2);

      const expected = fileTotals(path);
      expect(expected.length).toBeGreaterThanOrEqual(6);
      expect(await modelTotals(page)).toEqual(expected);
      expect(problems.dialogs).toEqual([]);
    } finally {
      rec.child.kill('SIGKILL');
      await page.close();
      await proxy.close();
    }
  });
});
