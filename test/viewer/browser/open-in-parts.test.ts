// A recording opened in parts (from a picked File, or by URL from heat-view's byte ranges) shows
// exactly what the same file read whole shows: the same pixels at the whole range and zoomed in
// on one key (per-second rows read as the view needs them), the same tooltip, range totals and
// key totals, while holding a fraction of the file.

import { statSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  canvasChecksum,
  newViewerPage,
  openEverythingInParts,
  plotBox,
  settle,
  waitForPaint,
} from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { recordSynthetic } from '../helpers/recordings.js';

let size: number;

const session = useViewerSession('viewer-parts-', async (path) => {
  // Six hours: one key's whole range is then drawn from rollups, not per-second rows (20,000 rows a
  // view at most), so what a view holds is a small share of the file whatever the timing.
  await recordSynthetic(path('run.db'), { seconds: 21_600, keys: 12, seed: 8 });
  size = statSync(path('run.db')).size;
});

/** Opens run.db through the file input, at the view in `hash`. */
async function openFile(page: Page, hash: string): Promise<void> {
  await page.goto(`${await session.home()}#${hash}`);
  await page.setInputFiles('[data-testid=file-input]', session.path('run.db'));
  await waitForPaint(page);
}

/** What the panels say, once they agree with `other` (parts read in the background may lag). */
async function sameText(page: Page, other: Page, testId: string): Promise<string> {
  const expected = (await other.getByTestId(testId).textContent())!;
  await expect
    .poll(() => page.getByTestId(testId).textContent(), { timeout: 10_000 })
    .toBe(expected);
  return expected;
}

async function dragRange(page: Page): Promise<void> {
  await page.getByTestId('drag-select').click();
  const plot = await plotBox(page);
  const y = plot.pageY + plot.top + plot.height / 2;
  await page.mouse.move(plot.pageX + plot.left + plot.width * 0.13, y);
  await page.mouse.down();
  await page.mouse.move(plot.pageX + plot.left + plot.width * 0.71, y, { steps: 5 });
  await page.mouse.up();
  await page.getByTestId('range-total').waitFor();
}

describe('a recording opened in parts', () => {
  for (const hash of ['', 't=4000-4300&k=only:4']) {
    it(`paints, points and sums exactly as the whole file (${hash || 'whole range, all keys'})`, async () => {
      const { page: whole, problems: wholeProblems } = await newViewerPage(session);
      const { page: parts, problems } = await newViewerPage(session);
      await openEverythingInParts(parts);
      await openFile(whole, hash);
      await openFile(parts, hash);
      const pixels = await canvasChecksum(whole);
      await expect.poll(() => canvasChecksum(parts), { timeout: 10_000 }).toBe(pixels);
      // Measured once the view is whole and the chunks beside it were read ahead, not while they may still arrive.
      await settle(parts);
      expect(await whole.evaluate(() => window.__heatViewer!.heldBytes())).toBeNull();
      const held = (await parts.evaluate(() => window.__heatViewer!.heldBytes()))!;
      expect(held).toBeGreaterThan(0);
      expect(held).toBeLessThan(size / 2); // at 24 h the share is ~4 % (npm run bench)
      expect(await sameText(parts, whole, 'keys')).toMatch(/\d/);

      for (const page of [whole, parts]) {
        const plot = await plotBox(page);
        await page.mouse.move(
          plot.pageX + plot.left + plot.width * 0.37,
          plot.pageY + plot.top + plot.height * 0.55,
        );
      }
      expect(await sameText(parts, whole, 'tooltip')).toMatch(/\d/);

      await dragRange(whole);
      await dragRange(parts);
      expect(await sameText(parts, whole, 'range-total')).toMatch(/\d/);
      await sameText(parts, whole, 'range-keys');
      expect([...problems.errors, ...wholeProblems.errors]).toEqual([]);
      await whole.close();
      await parts.close();
    });
  }

  it('reads a heat-view URL in byte ranges and paints what the whole file paints', async () => {
    const { page: whole } = await newViewerPage(session);
    const { page: parts, problems } = await newViewerPage(session);
    await openEverythingInParts(parts);
    const ranges: string[] = [];
    parts.on('request', (r) => {
      const range = r.headers().range;
      if (r.url().includes('recording.db') && range) ranges.push(range);
    });
    const url = (await session.serve('run.db')).url;
    await whole.goto(url);
    await parts.goto(url);
    await waitForPaint(whole);
    await waitForPaint(parts);
    const pixels = await canvasChecksum(whole);
    await expect.poll(() => canvasChecksum(parts), { timeout: 10_000 }).toBe(pixels);
    expect(ranges.length).toBeGreaterThan(2);
    expect((await parts.evaluate(() => window.__heatViewer!.heldBytes()))!).toBeLessThan(size / 2);
    expect(problems.errors).toEqual([]);
    await whole.close();
    await parts.close();
  });
});
