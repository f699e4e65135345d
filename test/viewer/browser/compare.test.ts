// Comparing in Chromium: two recordings made through the store whose distributions differ in a
// known way (B has 100x the slow events in seconds 300-399, and a twentieth of the fast ones in
// seconds 100-199), and two windows of one recording. The difference cells must be red (B more)
// and blue (A more) exactly where the data differ, near-white where it agrees, white where
// neither has events; the overlaid histograms must hold each side's totals.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hist, snapshot, writeRecording } from '../../helpers/recordings.js';
import { newViewerPage, openByUrl, settle, type PlotBox } from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { cellCentre, type Bucket } from '../helpers/expected.js';
import { formatBucketBounds } from '../../../viewer/src/model/value-format.js';

const TINY: Bucket = { id: 0, lo: 8, hi: 15 };
const FAST: Bucket = { id: 0, lo: 64, hi: 127 };
const EMPTY: Bucket = { id: 0, lo: 256, hi: 511 };
const SLOW: Bucket = { id: 0, lo: 1024, hi: 2047 };
const BUCKETS = [TINY, FAST, SLOW];

/** 600 seconds of one key: 50 tiny, `fast` fast and `slow` slow events a second. */
function write(path: string, counts: (t: number) => { fast: number; slow: number }): void {
  writeRecording(
    path,
    Array.from({ length: 600 }, (_, t) => {
      const c = counts(t);
      return snapshot(t, [
        hist(
          ['read'],
          [
            [8, 15, 50],
            [64, 127, c.fast],
            [1024, 2047, c.slow],
          ],
        ),
      ]);
    }),
  );
}

const session = useViewerSession('viewer-compare-', async (path) => {
  write(path('a.db'), () => ({ fast: 100, slow: 10 }));
  write(path('b.db'), (t) => ({
    fast: t >= 100 && t < 200 ? 5 : 100,
    slow: t >= 300 && t < 400 ? 1000 : 10,
  }));
});

async function diffBox(page: Page): Promise<PlotBox> {
  const canvas = page.getByTestId('diffmap');
  const box = (await canvas.boundingBox())!;
  const attr = async (name: string) => Number(await canvas.getAttribute(`data-plot-${name}`));
  return {
    left: await attr('left'),
    top: await attr('top'),
    width: await attr('width'),
    height: await attr('height'),
    pageX: box.x,
    pageY: box.y,
  };
}

/** RGB of the diff map at relative second t in bucket b, for windows `span` seconds long. */
async function diffPixel(
  page: Page,
  span: number,
  t: number,
  b: Bucket,
): Promise<[number, number, number]> {
  const at = cellCentre(await diffBox(page), { start: 0, end: span }, BUCKETS, t, b);
  return page.evaluate(`(() => {
    const c = document.querySelector('[data-testid=diffmap]');
    const k = c.width / c.getBoundingClientRect().width;
    const d = c.getContext('2d').getImageData(Math.floor(${at.x} * k), Math.floor(${at.y} * k), 1, 1).data;
    return [d[0], d[1], d[2]];
  })()`);
}

const isRed = ([r = 0, g = 0, b = 0]: number[]) => r > b + 60 && r > g + 30;
const isBlue = ([r = 0, g = 0, b = 0]: number[]) => b > r + 60 && b > g;
const isNearWhite = ([r, g, b]: number[]) => Math.min(r!, g!, b!) > 225 && Math.abs(r! - b!) < 12;

async function histogramRow(page: Page, b: Bucket): Promise<[number, number]> {
  const label = formatBucketBounds(b.lo, b.hi, 'us');
  const row = page
    .getByTestId('compare-histogram')
    .locator('li')
    .filter({ has: page.getByText(label, { exact: true }) });
  return [Number(await row.getAttribute('data-a')), Number(await row.getAttribute('data-b'))];
}

describe('comparing', () => {
  it('two recordings: B − A and the log ratio are red and blue exactly where they differ', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'a.db');
    await page.getByTestId('compare-start').click();
    await page.getByTestId('compare-file').setInputFiles(session.path('b.db'));
    await expect.poll(() => page.getByTestId('compare-b').textContent()).toContain('b.db');
    await settle(page);
    for (const mode of ['log-ratio', 'difference']) {
      await page.getByTestId('compare-mode').selectOption(mode);
      await settle(page);
      for (const t of [310, 350, 395])
        expect(isRed(await diffPixel(page, 600, t, SLOW)), `${mode} slow @${t}`).toBe(true);
      for (const t of [110, 150, 195])
        expect(isBlue(await diffPixel(page, 600, t, FAST)), `${mode} fast @${t}`).toBe(true);
      for (const [t, b] of [
        [50, SLOW],
        [500, FAST],
        [150, SLOW],
        [350, FAST],
        [350, TINY],
      ] as const) {
        expect(
          isNearWhite(await diffPixel(page, 600, t, b)),
          `${mode} equal @${t} [${b.lo}, ${b.hi}]`,
        ).toBe(true);
      }
      expect(await diffPixel(page, 600, 350, EMPTY)).toEqual([255, 255, 255]);
    }
    const at = cellCentre(await diffBox(page), { start: 0, end: 600 }, BUCKETS, 350, SLOW);
    const box = await diffBox(page);
    await page.mouse.move(box.pageX + at.x, box.pageY + at.y);
    const tip = page.getByTestId('compare-tooltip');
    await tip.waitFor();
    expect([
      Number(await tip.getAttribute('data-a')),
      Number(await tip.getAttribute('data-b')),
    ]).toEqual([10, 1000]);
    expect(await tip.textContent()).toContain('+5m50s – +5m51s · 1.02 ms – 2.05 ms');
    expect(await histogramRow(page, SLOW)).toEqual([600 * 10, 500 * 10 + 100 * 1000]);
    expect(await histogramRow(page, FAST)).toEqual([600 * 100, 500 * 100 + 100 * 5]);
    expect(await histogramRow(page, TINY)).toEqual([30_000, 30_000]);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('two windows of one recording, aligned on relative time: pan the map to move B', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'b.db', 't=0-200');
    await page.getByTestId('compare-start').click();
    await page.evaluate(() => {
      location.hash = 't=300-500';
    });
    await expect.poll(() => page.getByTestId('compare-b').textContent()).toContain('+5m → +8m20s');
    await settle(page);
    // A = seconds 0-199, B = 300-499: B has more slow events in its first 100 s, more fast ones in its second.
    expect(isRed(await diffPixel(page, 200, 50, SLOW))).toBe(true);
    expect(isNearWhite(await diffPixel(page, 200, 150, SLOW))).toBe(true);
    expect(isRed(await diffPixel(page, 200, 150, FAST))).toBe(true);
    expect(isNearWhite(await diffPixel(page, 200, 50, FAST))).toBe(true);
    expect(await histogramRow(page, SLOW)).toEqual([200 * 10, 100 * 1000 + 100 * 10]);
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});
