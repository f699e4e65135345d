// heat-record export --html, opened as a person would open a file someone sent them: from
// file:// in Chromium with the network switched off (offline, and every http(s) request
// refused). The map must be painted from the recording inside the page, and the tooltip of a
// known cell must give the count the file holds.

import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { writeSyntheticRecording } from '../../helpers/recordings.js';
import {
  canvasChecksum,
  openEverythingInParts,
  pixelAt,
  plotBox,
  viewWindow,
} from '../helpers/browser.js';
import { cellCentre, RecordingFacts } from '../helpers/expected.js';
import { useChromium } from '../helpers/browser-hooks.js';

const WHITE: [number, number, number] = [255, 255, 255];
let facts: RecordingFacts;
const chromium = useChromium('viewer-html-');

beforeAll(() => {
  writeSyntheticRecording(chromium.path('run.db'), 300, { keys: 6, seed: 7 });
  writeSyntheticRecording(chromium.path('long.db'), 2400, { keys: 16, seed: 9 });
  facts = new RecordingFacts(chromium.path('run.db'));
});

afterAll(() => {
  facts?.close();
});

/** Opens a page from file:// offline; `inParts`: every recording it holds is read in parts, whatever its size. */
async function openOffline(
  html: string,
  inParts: boolean,
): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await chromium.browser.newContext({ viewport: { width: 1500, height: 1000 } });
  await context.setOffline(true);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  if (inParts) await openEverythingInParts(page);
  await page.goto(`file://${html}`);
  await page.waitForFunction(
    () => (window.__heatViewer?.openToPaintMs.length ?? 0) > 0,
    undefined,
    { timeout: 30_000 },
  );
  await page.waitForSelector('[data-testid=keys]');
  return { page, errors, close: () => context.close() };
}

describe('an exported HTML page', () => {
  it('holding a recording of several blocks, reads it in parts offline and paints what reading it whole paints', async () => {
    const html = chromium.path('long.html');
    expect((await runCli(['export', chromium.path('long.db'), '--html', html])).code).toBe(0);
    const whole = await openOffline(html, false);
    const parts = await openOffline(html, true);
    expect(await whole.page.evaluate(() => window.__heatViewer!.heldBytes())).toBeNull();
    const held = (await parts.page.evaluate(() => window.__heatViewer!.heldBytes()))!;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(readFileSync(chromium.path('long.db')).length);
    const pixels = await canvasChecksum(whole.page);
    await expect.poll(() => canvasChecksum(parts.page), { timeout: 10_000 }).toBe(pixels);
    expect(await parts.page.getByTestId('keys').textContent()).toBe(
      await whole.page.getByTestId('keys').textContent(),
    );
    expect([...whole.errors, ...parts.errors]).toEqual([]);
    await whole.close();
    await parts.close();
  });

  it('written by an older heat-record (the recording as one gzip member, no size) still opens', async () => {
    const html = chromium.path('long.html');
    const page = readFileSync(html, 'utf8').replace(
      / data-size="\d+">[^<]+<\/script>/,
      () => `>${gzipSync(readFileSync(chromium.path('long.db'))).toString('base64')}</script>`,
    );
    expect(page).not.toMatch(/id="heat-recording"[^>]*data-size/);
    writeFileSync(chromium.path('old.html'), page);
    const old = await openOffline(chromium.path('old.html'), true);
    const now = await openOffline(html, false);
    expect(await old.page.evaluate(() => window.__heatViewer!.heldBytes())).toBeNull();
    expect(await canvasChecksum(old.page)).toBe(await canvasChecksum(now.page));
    expect(old.errors).toEqual([]);
    await old.close();
    await now.close();
  });

  it('opens from file:// with no network, paints the map and reads a cell exactly', async () => {
    const html = chromium.path('run.html');
    const result = await runCli(['export', chromium.path('run.db'), '--html', html]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^wrote .*run\.html: [\d.]+ MB \(recording [\d.]+ MB, gzipped [\d.]+ MB; viewer and encoding add [\d.]+ MB\)\n$/,
    );

    const context = await chromium.browser.newContext({ viewport: { width: 1500, height: 1000 } });
    await context.setOffline(true);
    const refused: string[] = [];
    await context.route(/^https?:/, (route) => {
      refused.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${html}#t=60-100`);
    await page.waitForFunction(
      () => (window.__heatViewer?.openToPaintMs.length ?? 0) > 0,
      undefined,
      { timeout: 30_000 },
    );
    await page.waitForSelector('[data-testid=keys]');

    expect(await viewWindow(page)).toEqual({ start: 60, end: 100 });
    expect(await page.getByTestId('file-name').textContent()).toBe('run.db');
    expect(await page.title()).toBe('run.db · Heat Tracer');
    const plot = await plotBox(page);
    const buckets = facts.buckets();
    const t = 77;
    const byCount = buckets
      .filter((b) => facts.count(t, b) > 0)
      .sort((a, b) => facts.count(t, b) - facts.count(t, a));
    const known = byCount[1]!;
    const empty = buckets.find((b) => facts.count(t, b) === 0 && b.lo > 1000)!;
    const at = cellCentre(plot, { start: 60, end: 100 }, buckets, t, known);
    expect(await pixelAt(page, at.x, at.y)).not.toEqual(WHITE);
    const blank = cellCentre(plot, { start: 60, end: 100 }, buckets, t, empty);
    expect(await pixelAt(page, blank.x, blank.y)).toEqual(WHITE);

    await page.mouse.move(plot.pageX + at.x, plot.pageY + at.y);
    const tip = page.getByTestId('tooltip');
    await tip.waitFor();
    expect(Number(await tip.getAttribute('data-count'))).toBe(facts.count(t, known));
    expect([await tip.getAttribute('data-from'), await tip.getAttribute('data-to')]).toEqual([
      String(t),
      String(t + 1),
    ]);
    expect(await tip.getAttribute('data-bucket')).toBe(`${known.lo},${known.hi}`);

    // The page exports its own window as a page again (its own source as the template), offline too.
    await page.getByTestId('more').click(); // exports live in the toolbar's More menu
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-window-html').click(),
    ]);
    expect(download.suggestedFilename()).toBe('run-60-100s.html');
    const again = chromium.path('again.html');
    await download.saveAs(again);
    const second = await context.newPage();
    await second.goto(`file://${again}`);
    await second.waitForFunction(
      () => (window.__heatViewer?.openToPaintMs.length ?? 0) > 0,
      undefined,
      { timeout: 30_000 },
    );
    expect(await second.getByTestId('file-name').textContent()).toBe('run-60-100s.db');
    expect(await viewWindow(second)).toEqual({ start: 0, end: 40 });

    expect(
      requests.filter(
        (u) => !u.startsWith('file:') && !u.startsWith('data:') && !u.startsWith('blob:'),
      ),
    ).toEqual([]);
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
