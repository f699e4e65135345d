// More of what a person sees, on hand-made recordings with known content: drag and drop,
// under- and overflow rows in their own bands, gaps and drops on the time axis, the percentile
// line toggles, and the PNG export.

import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../cli/model/snapshot.js';
import {
  canvasChecksum,
  newViewerPage,
  openByUrl,
  pixelAt,
  plotBox,
  settle,
  viewWindow,
  waitForPaint,
} from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { second, START_MS, writeRecording } from '../../helpers/recordings.js';

const WHITE = [255, 255, 255];
const MISSED = [
  [0xd4, 0xd4, 0xda],
  [0xf0, 0xf0, 0xf3],
];

/** lhist-like seconds: underflow (< 0), [0, 9] ... [90, 99], overflow (>= 100). */
function linearSecond(t: number): Snapshot {
  const b = (lo: bigint | null, hi: bigint | null, count: bigint) => ({ lo, hi, count });
  return {
    t,
    wallMs: START_MS + (t + 1) * 1000,
    partial: false,
    health: [],
    histograms: [
      {
        aggregation: '@q',
        key: ['disk'],
        scheme: 'linear',
        buckets: [b(null, -1n, 3n), b(0n, 9n, 5n), b(50n, 59n, 20n), b(100n, null, 7n)],
      },
    ],
  };
}

const session = useViewerSession('viewer-features-', async (path) => {
  writeRecording(
    path('linear.db'),
    Array.from({ length: 20 }, (_, t) => linearSecond(t)),
  );
  const withHealth = Array.from({ length: 20 }, (_, t) =>
    second(t, { read: { 3: 50, 6: 5 } }),
  ).filter((s) => s.t < 10 || s.t > 11);
  withHealth
    .find((s) => s.t === 15)!
    .health.push({ kind: 'drop', count: 42, message: '42 events lost' });
  writeRecording(path('health.db'), withHealth);
});

async function rgbAtTime(
  page: Page,
  t: number,
  yFromPlotTop: number,
): Promise<[number, number, number]> {
  const plot = await plotBox(page);
  const w = await viewWindow(page);
  return pixelAt(
    page,
    plot.left + ((t + 0.5 - w.start) / (w.end - w.start)) * plot.width,
    plot.top + yFromPlotTop,
  );
}

describe('features', () => {
  it('opens a file dropped anywhere on the page', async () => {
    const { page } = await newViewerPage(session);
    await page.goto(await session.home());
    const bytes = [...readFileSync(session.path('linear.db'))];
    const transfer = await page.evaluateHandle((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], 'dropped.db'));
      return dt;
    }, bytes);
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    await waitForPaint(page);
    expect(await page.getByTestId('file-name').textContent()).toBe('dropped.db');
    await page.close();
  });

  it('shows underflow and overflow rows in their own bands, on a linear axis by default', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'linear.db');
    expect(await page.getByTestId('y-linear').getAttribute('aria-pressed')).toBe('true');
    const plot = await plotBox(page);
    expect(await rgbAtTime(page, 5, 7)).not.toEqual(WHITE); // overflow band: the top 14 px
    expect(await rgbAtTime(page, 5, plot.height - 7)).not.toEqual(WHITE); // underflow band: the bottom 14 px
    expect(await rgbAtTime(page, 5, 15.5)).toEqual(WHITE); // the gap between band and scale
    await page.mouse.move(plot.pageX + plot.left + plot.width / 2, plot.pageY + plot.top + 7);
    expect(await page.getByTestId('tooltip-bucket').textContent()).toBe('≥ 100 µs');
    expect(await page.getByTestId('tooltip').getAttribute('data-count')).toBe('7');
    await page.mouse.move(
      plot.pageX + plot.left + plot.width / 2,
      plot.pageY + plot.top + plot.height - 7,
    );
    expect(await page.getByTestId('tooltip-bucket').textContent()).toBe('< 0 µs');
    await page.close();
  });

  it('hatches missed seconds, marks gaps and drops on the time axis, and lists them', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'health.db');
    const plot = await plotBox(page);
    expect(MISSED).toContainEqual(await rgbAtTime(page, 10, plot.height / 2));
    expect(await rgbAtTime(page, 9, plot.height / 2)).not.toEqual(
      await rgbAtTime(page, 10, plot.height / 2),
    );
    expect(await rgbAtTime(page, 15, plot.height + 3)).toEqual([0xd6, 0x27, 0x28]); // the drop's red mark
    expect(await rgbAtTime(page, 10, plot.height + 3)).toEqual([0x8c, 0x8c, 0x99]); // the gap's grey bar
    expect(await rgbAtTime(page, 5, plot.height + 3)).toEqual(WHITE);
    const health = await page.getByTestId('health').textContent();
    expect(health).toMatch(/gap ×2: 2 second\(s\) missed/);
    expect(health).toMatch(/drop ×42: 42 events lost/);
    expect(await page.getByTestId('detail-duration').textContent()).toBe(
      '20s · 18 s recorded, 2 missed',
    );
    await page.close();
  });

  it('toggles the p50 and p99 lines', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'health.db');
    const both = await canvasChecksum(page);
    await page.getByTestId('line-p50').click();
    await settle(page);
    expect(await canvasChecksum(page)).not.toBe(both);
    expect(new URL(page.url()).hash).toContain('pl=99');
    await page.getByTestId('line-p99').click();
    await settle(page);
    const none = await canvasChecksum(page);
    expect(new URL(page.url()).hash).toContain('pl=none');
    await page.getByTestId('line-p50').click();
    await page.getByTestId('line-p99').click();
    await settle(page);
    expect(await canvasChecksum(page)).toBe(both);
    expect(none).not.toBe(both);
    await page.close();
  });

  it('exports the view as a PNG', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'health.db', 't=2-18');
    await page.getByTestId('more').click(); // exports live in the toolbar's More menu
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-png').click(),
    ]);
    expect(download.suggestedFilename()).toBe('health-2-18s.png'); // named after the file heat-view serves (&name=)
    const png = readFileSync((await download.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const canvas = page.getByTestId('heatmap');
    const width = Number(await canvas.evaluate((c) => (c as HTMLCanvasElement).width));
    expect(png.readUInt32BE(16)).toBe(width); // IHDR width: the map as drawn, at device pixels
    await page.close();
  });
});
