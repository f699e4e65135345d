// What a person sees of the page's layout on a laptop and a desktop screen (issue 13 items 6-9):
// the map fills the height between its toolbar and the overview, the toolbar takes at most two
// rows at 1024 px, the canvas is backed by CSS px x devicePixelRatio and follows a resize, bucket
// ranges read in units ("524 ms – 1.05 s"), the Recording panel ends where `info` says, and the
// console stays clean (favicon included).

import { spawnSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newViewerPage, openByUrl, plotBox, settle } from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { second, writeRecording } from '../../helpers/recordings.js';
import { recordSynthetic, REPO_ROOT } from '../helpers/recordings.js';
import { formatDateTime } from '../../../viewer/src/model/time-format.js';

/** How close (CSS px) the map must come to the toolbar above it and the overview below it. */
const FEW_PX = 8;

const session = useViewerSession('viewer-layout-', async (path) => {
  // 8..15 µs mostly, and [524288, 1048575] µs (2^19 .. 2^20 - 1) now and then: the bucket.
  writeRecording(
    path('run.db'),
    Array.from({ length: 120 }, (_, t) => second(t, { read: { 3: 50, 19: 5 }, write: { 5: 20 } })),
  );
  await recordSynthetic(path('fast-hour.db'), { seconds: 3600, keys: 2 });
});

interface Layout {
  toolbarRows: number;
  toolbarBottom: number;
  mapTop: number;
  mapBottom: number;
  overviewTop: number;
  /** The page and the map section need no scrolling. */
  pageOverflow: number;
  sectionOverflow: number;
  canvas: { cssWidth: number; cssHeight: number; width: number; height: number };
}

async function measure(page: Page): Promise<Layout> {
  return page.evaluate(`(() => {
    const box = (sel) => document.querySelector(sel).getBoundingClientRect();
    const toolbar = document.querySelector('[role=toolbar]');
    const tops = new Set([...toolbar.children].map((c) => Math.round(c.getBoundingClientRect().top)));
    const canvas = document.querySelector('[data-testid=heatmap]');
    const c = canvas.getBoundingClientRect();
    const section = toolbar.parentElement;
    const root = document.documentElement;
    return {
      toolbarRows: tops.size, toolbarBottom: box('[role=toolbar]').bottom,
      mapTop: c.top, mapBottom: c.bottom, overviewTop: box('[data-testid=overview]').top,
      pageOverflow: root.scrollHeight - root.clientHeight, sectionOverflow: section.scrollHeight - section.clientHeight,
      canvas: { cssWidth: c.width, cssHeight: c.height, width: canvas.width, height: canvas.height },
    };
  })()`);
}

function expectFills(l: Layout, dpr: number): void {
  expect(l.mapTop - l.toolbarBottom, 'gap under the toolbar').toBeGreaterThanOrEqual(0);
  expect(l.mapTop - l.toolbarBottom, 'gap under the toolbar').toBeLessThanOrEqual(FEW_PX);
  expect(l.overviewTop - l.mapBottom, 'gap above the overview').toBeGreaterThanOrEqual(0);
  expect(l.overviewTop - l.mapBottom, 'gap above the overview').toBeLessThanOrEqual(FEW_PX);
  expect(l.pageOverflow, 'the page scrolls').toBeLessThanOrEqual(0);
  expect(l.sectionOverflow, 'the map section scrolls').toBeLessThanOrEqual(0);
  expect(l.canvas.width).toBe(Math.round(l.canvas.cssWidth * dpr));
  expect(l.canvas.height).toBe(Math.round(l.canvas.cssHeight * dpr));
}

describe('layout', () => {
  for (const [width, height, dpr] of [
    [1024, 768, 1],
    [1920, 1080, 1],
    [1366, 768, 2],
  ] as const) {
    it(`${width}×${height} @${dpr}x: the map fills the space between the toolbar and the overview`, async () => {
      const { page, problems } = await newViewerPage(session, { width, height, dpr });
      await openByUrl(page, session, 'run.db');
      await settle(page);
      const l = await measure(page);
      expectFills(l, dpr);
      expect(l.toolbarRows, 'toolbar rows').toBeLessThanOrEqual(2);
      expect(l.canvas.cssHeight).toBeGreaterThan(height * 0.5);
      expect(problems).toEqual({ errors: [], dialogs: [] });
      await page.close();
    });
  }

  it('follows a resize of the window, drawing again at the new size', async () => {
    const { page, problems } = await newViewerPage(session, { width: 1920, height: 1080 });
    await openByUrl(page, session, 'run.db');
    await settle(page);
    const big = await measure(page);
    await page.setViewportSize({ width: 1024, height: 700 });
    await settle(page);
    const small = await measure(page);
    expectFills(small, 1);
    expect(small.canvas.cssHeight).toBeLessThan(big.canvas.cssHeight - 300);
    expect(
      Number(await page.getByTestId('heatmap').getAttribute('data-plot-height')),
    ).toBeGreaterThan(small.canvas.cssHeight - 80);
    expect(problems).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });

  it('every rarely used control is one click away in the More menu', async () => {
    const { page, problems } = await newViewerPage(session, { width: 1024, height: 768 });
    await openByUrl(page, session, 'run.db');
    for (const id of [
      'palette',
      'clamp',
      'share',
      'utc',
      'export-png',
      'export-window-db',
      'export-window-html',
    ]) {
      expect(await page.getByTestId(id).isVisible(), `${id} hidden while the menu is closed`).toBe(
        false,
      );
    }
    await page.getByTestId('more').click();
    for (const id of [
      'palette',
      'clamp',
      'share',
      'utc',
      'export-png',
      'export-window-db',
      'export-window-html',
    ]) {
      expect(await page.getByTestId(id).isVisible(), id).toBe(true);
    }
    await page.getByTestId('utc').click();
    expect(await page.getByTestId('utc').getAttribute('aria-pressed')).toBe('true');
    await page.mouse.click(5, 700); // outside: the menu closes
    expect(await page.getByTestId('palette').isVisible()).toBe(false);
    expect(problems).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });
});

describe('bucket ranges in units', () => {
  it('the tooltip, percentiles and range histogram say 524 ms – 1.05 s, not [524288, 1048575] µs', async () => {
    const { page, problems } = await newViewerPage(session, { width: 1024, height: 768 });
    await openByUrl(page, session, 'run.db');
    const plot = await plotBox(page);
    // The top row of the plot is the highest bucket, 2^19 .. 2^20 - 1 µs.
    await page.mouse.move(plot.pageX + plot.left + plot.width / 2, plot.pageY + plot.top + 3);
    await page.getByTestId('tooltip').waitFor();
    expect(await page.getByTestId('tooltip-bucket').textContent()).toBe('524 ms – 1.05 s');

    await page.getByTestId('drag-select').click();
    const y = plot.pageY + plot.top + plot.height / 2;
    await page.mouse.move(plot.pageX + plot.left + 2, y);
    await page.mouse.down();
    await page.mouse.move(plot.pageX + plot.left + plot.width - 2, y, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('range-span').waitFor();
    expect(await page.getByTestId('range-p50').textContent()).toBe('8 µs – 16 µs');
    expect(await page.getByTestId('range-p99').textContent()).toBe('524 ms – 1.05 s');
    expect(await page.getByTestId('range-max').textContent()).toBe('524 ms – 1.05 s');
    const labels = await page.getByTestId('range-histogram').locator('.lbl').allTextContents();
    expect(labels).toEqual(['524 ms – 1.05 s', '32 µs – 64 µs', '8 µs – 16 µs']);
    expect(await page.getByTestId('range-panel').textContent()).not.toMatch(/\[\d+, \d+\]/);
    expect(problems).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });
});

describe('the Recording panel', () => {
  it('a --fast synthetic hour ends at start + 1 h in the viewer, as info says', async () => {
    const info = spawnSync(
      'npx',
      ['tsx', 'cli/bin/heat-record.ts', 'info', '--json', session.path('fast-hour.db')],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(info.status, info.stderr).toBe(0);
    const said = JSON.parse(info.stdout) as { start: string; end: string };
    const startMs = Date.parse(said.start);
    const endMs = Date.parse(said.end);
    expect(endMs - startMs).toBe(3_600_000);
    const { page, problems } = await newViewerPage(session, { width: 1920, height: 1080 });
    await openByUrl(page, session, 'fast-hour.db');
    expect(await page.getByTestId('detail-start').textContent()).toBe(formatDateTime(startMs));
    expect(await page.getByTestId('detail-end').textContent()).toBe(
      `${formatDateTime(endMs)} (duration)`,
    );
    expect(await page.getByTestId('detail-status').textContent()).toBe('complete');
    expect(problems).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });
});
