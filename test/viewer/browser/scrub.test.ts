// Scrubbing a recording in Chromium: dragging the overview window moves the map (its window,
// the URL hash and the pixels), its edges resize it, zoom and pan keys work, and a copied link
// reopens the same view.

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  canvasChecksum,
  newViewerPage,
  openByUrl,
  settle,
  viewWindow,
  waitForPaint,
} from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { recordSynthetic } from '../helpers/recordings.js';

const session = useViewerSession('viewer-scrub-', async (path) => {
  await recordSynthetic(path('run.db'), { seconds: 600, keys: 6, seed: 2 });
});

async function drag(page: Page, from: { x: number; y: number }, dx: number): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 5; i++) await page.mouse.move(from.x + (dx * i) / 5, from.y);
  await page.mouse.up();
  await settle(page);
}

const hashWindow = (page: Page) =>
  /(?:^|&)t=([\d.]+)-([\d.]+)/.exec(new URL(page.url()).hash.slice(1))?.slice(1).map(Number);

describe('scrubbing', () => {
  it('dragging the overview window moves the visible range, the hash and the pixels', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=300-360');
    await settle(page);
    const before = await canvasChecksum(page);
    const win = (await page.getByTestId('overview-window').boundingBox())!;
    const strip = (await page.getByTestId('overview').boundingBox())!;
    const dx = -strip.width / 4; // a quarter of the strip: 150 s back
    await drag(page, { x: win.x + win.width / 2, y: win.y + win.height / 2 }, dx);
    const after = await viewWindow(page);
    expect(after.end - after.start).toBeCloseTo(60, 6);
    expect(after.start).toBeCloseTo(300 + (dx / strip.width) * 600, 0);
    await expect
      .poll(() => hashWindow(page))
      .toEqual([after.start, after.end].map((x) => Math.round(x * 1000) / 1000));
    expect(await canvasChecksum(page)).not.toBe(before);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('dragging an edge of the overview window resizes it', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=300-360');
    const handle = (await page.getByTestId('overview-handle-end').boundingBox())!;
    const strip = (await page.getByTestId('overview').boundingBox())!;
    await drag(
      page,
      { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 },
      strip.width / 10,
    );
    const w = await viewWindow(page);
    expect(w.start).toBe(300);
    expect(w.end).toBeCloseTo(420, 0);
    await page.close();
  });

  it('zooms, pans, fits and jumps with the toolbar and the keyboard', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=200-400');
    await page.getByTestId('zoom-in').click();
    expect(await viewWindow(page)).toEqual({ start: 250, end: 350 });
    await page.keyboard.press('ArrowRight');
    expect(await viewWindow(page)).toEqual({ start: 260, end: 360 });
    await page.keyboard.press('-');
    expect(await viewWindow(page)).toEqual({ start: 210, end: 410 });
    await page.getByTestId('jump-end').click();
    expect(await viewWindow(page)).toEqual({ start: 400, end: 600 });
    await page.keyboard.press('Home');
    expect(await viewWindow(page)).toEqual({ start: 0, end: 200 });
    await page.getByTestId('fit').click();
    expect(await viewWindow(page)).toEqual({ start: 0, end: 600 });
    await page.close();
  });

  it('zooms about the pointer with the wheel, and pans by dragging the map', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=200-400');
    const box = (await page.getByTestId('heatmap').boundingBox())!;
    const plotLeft = Number(await page.getByTestId('heatmap').getAttribute('data-plot-left'));
    const plotWidth = Number(await page.getByTestId('heatmap').getAttribute('data-plot-width'));
    const x = box.x + plotLeft + plotWidth / 4; // over second 250
    await page.mouse.move(x, box.y + 100);
    await page.mouse.wheel(0, -200);
    await settle(page);
    const zoomed = await viewWindow(page);
    expect(zoomed.end - zoomed.start).toBeLessThan(200);
    expect(zoomed.start + (zoomed.end - zoomed.start) / 4).toBeCloseTo(250, 3);
    await drag(page, { x, y: box.y + 100 }, plotWidth / 2);
    const panned = await viewWindow(page);
    expect(panned.start).toBeCloseTo(zoomed.start - (zoomed.end - zoomed.start) / 2, 3);
    await page.close();
  });

  it('reopens the same view from a copied link', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=120-180');
    await page.getByTestId('y-linear').click();
    await page.getByTestId('colour-scale').selectOption('rank');
    await page.getByTestId('key-only').first().click();
    await settle(page);
    const link = page.url();
    expect(new URL(link).hash).toMatch(/t=120-180/);
    const picture = await canvasChecksum(page);
    const { page: copy } = await newViewerPage(session);
    await copy.goto(link);
    await waitForPaint(copy);
    await settle(copy);
    expect(await viewWindow(copy)).toEqual({ start: 120, end: 180 });
    expect(await copy.getByTestId('y-linear').getAttribute('aria-pressed')).toBe('true');
    expect(await copy.getByTestId('colour-scale').inputValue()).toBe('rank');
    expect(await canvasChecksum(copy)).toBe(picture);
    await page.close();
    await copy.close();
  });

  it('replays: the cursor moves and the window follows it', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=100-164');
    await page.getByTestId('speed').selectOption('60');
    await page.getByTestId('play').click();
    await page.waitForTimeout(600);
    await page.getByTestId('play').click();
    const w = await viewWindow(page);
    expect(w.end - w.start).toBeCloseTo(64, 6);
    expect(w.end).toBeGreaterThan(164 + 10); // at 60x, 0.6 s moves about 36 s
    await page.close();
  });
});
