// Live mode in Chromium against the real recorder: `heat-record --tracer synthetic --serve`
// streams each committed second; the page opened at the URL it prints shows new seconds at the
// right edge, stops following when the view is zoomed or scrubbed back, follows again when Live
// is pressed, and says "recording ended" when the recorder stops.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  canvasChecksum,
  newViewerPage,
  pixelAt,
  plotBox,
  waitForPaint,
} from '../helpers/browser.js';
import { following, liveStatus, liveView, recordLive } from '../helpers/live.js';
import { useChromium } from '../helpers/browser-hooks.js';
import { MIN_SPAN_S } from '../../../viewer/src/model/view-window.js';

const chromium = useChromium('viewer-live-');

/** Waits for the recording in the page to grow past `end` and returns the view then. */
async function nextSecond(page: Page, end: number): Promise<Awaited<ReturnType<typeof liveView>>> {
  await expect
    .poll(async () => (await liveView(page)).recordingEnd, { timeout: 15_000 })
    .toBeGreaterThan(end);
  return liveView(page);
}

/** A poll: does the window end at the newest second (both read at once)? */
function atNewestSecond(page: Page): () => Promise<boolean> {
  return async () => {
    const w = await liveView(page);
    return w.end === w.recordingEnd;
  };
}

/** True when some pixel of the plot column at x (CSS px from the plot's left) is not background. */
async function columnHasData(page: Page, x: number): Promise<boolean> {
  const plot = await plotBox(page);
  for (let y = plot.top + 2; y < plot.top + plot.height; y += 3) {
    const [r, g, b] = await pixelAt(page, plot.left + x, y);
    if (r < 250 || g < 250 || b < 250) return true;
  }
  return false;
}

describe('live mode (heat-record --serve)', () => {
  it('follows new seconds at the right edge, pauses when scrubbed back, resumes with Live', async () => {
    const rec = await recordLive(chromium.path('live.db'), 30);
    const { page, problems } = await newViewerPage(chromium);
    try {
      expect(rec.url).toMatch(/\?url=recording\.db&name=live\.db&live=1$/);
      await page.goto(rec.url);
      await waitForPaint(page);
      await expect.poll(() => liveStatus(page)).toBe('live');

      // New seconds appear at the right edge: the window ends at the newest second, and moves.
      // A recording shorter than the narrowest view (MIN_SPAN_S) is shown whole from its start,
      // with room on the right, so the edge is checked once it is longer than that.
      let v = await liveView(page);
      const checksum = await canvasChecksum(page);
      v = await nextSecond(page, Math.max(v.recordingEnd, v.t0 + MIN_SPAN_S));
      await expect.poll(atNewestSecond(page), { timeout: 10_000 }).toBe(true); // one read: more seconds may arrive while polling
      expect((await liveView(page)).start, 'a view of the whole recording grows with it').toBe(
        v.t0,
      );
      expect(await following(page)).toBe(true);
      expect(await canvasChecksum(page)).not.toBe(checksum);
      const plot = await plotBox(page);
      expect(
        await columnHasData(page, plot.width - 2),
        'the newest second is painted at the right edge',
      ).toBe(true);

      // Zooming in about the middle leaves the edge: the window stays while seconds arrive.
      await expect
        .poll(async () => (await liveView(page)).recordingEnd, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(8);
      await page.keyboard.press('+');
      await expect.poll(() => following(page)).toBe(false);
      const zoomed = await liveView(page);
      await nextSecond(page, zoomed.recordingEnd);
      await nextSecond(page, zoomed.recordingEnd + 1);
      expect(await liveView(page)).toMatchObject({ start: zoomed.start, end: zoomed.end });

      // Live: back to the newest second with the same width, and following again.
      await page.getByTestId('live').click();
      v = await liveView(page);
      expect(v.end).toBe(v.recordingEnd);
      expect(v.end - v.start).toBeCloseTo(zoomed.end - zoomed.start, 6);
      await nextSecond(page, v.recordingEnd);
      await expect.poll(atNewestSecond(page), { timeout: 10_000 }).toBe(true);
      expect(await following(page)).toBe(true);

      // Scrubbing back (dragging the map to the right) pauses following too.
      const box = await plotBox(page);
      const y = box.pageY + box.top + box.height / 2;
      await page.mouse.move(box.pageX + box.left + box.width / 2, y);
      await page.mouse.down();
      await page.mouse.move(box.pageX + box.left + box.width * 0.8, y, { steps: 5 });
      await page.mouse.up();
      const scrubbed = await liveView(page);
      expect(scrubbed.end).toBeLessThan(scrubbed.recordingEnd);
      await nextSecond(page, scrubbed.recordingEnd);
      expect(await liveView(page)).toMatchObject({ start: scrubbed.start, end: scrubbed.end });
      expect(await following(page)).toBe(false);
      await page.getByTestId('live').click();
      await expect.poll(atNewestSecond(page), { timeout: 10_000 }).toBe(true);
      expect(await following(page)).toBe(true);

      // The recorder stops (Ctrl-C): the page says the recording ended.
      rec.child.kill('SIGINT');
      expect((await rec.done).code).toBe(0);
      await expect
        .poll(() => page.getByTestId('live-status').textContent())
        .toBe('recording ended (interrupted)');
      expect(problems).toEqual({ errors: [], dialogs: [] });
    } finally {
      rec.child.kill('SIGKILL');
      await page.close();
    }
  });
});
