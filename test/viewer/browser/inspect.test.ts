// Reading numbers off the map in Chromium: the tooltip over a known cell gives its exact count
// and bucket, isolating a key repaints the map with that key alone, and a dragged range gives
// the p99 (and total) computed independently from the file with better-sqlite3.

import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canvasChecksum,
  newViewerPage,
  openByUrl,
  pixelAt,
  plotBox,
  settle,
  viewWindow,
} from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { bucketSpanY, cellCentre, RecordingFacts } from '../helpers/expected.js';
import { recordSynthetic } from '../helpers/recordings.js';
import { formatBucketBounds } from '../../../viewer/src/model/value-format.js';

const WHITE: [number, number, number] = [255, 255, 255];
let facts: RecordingFacts;

const session = useViewerSession('viewer-inspect-', async (path) => {
  await recordSynthetic(path('run.db'), { seconds: 300, keys: 8, seed: 5 });
  facts = new RecordingFacts(path('run.db'));
});

afterAll(() => {
  facts?.close();
});

async function hoverCell(page: Page, t: number, lo: number): Promise<void> {
  const plot = await plotBox(page);
  const bucket = facts.buckets().find((b) => b.lo === lo)!;
  const at = cellCentre(plot, await viewWindow(page), facts.buckets(), t, bucket);
  await page.mouse.move(plot.pageX + at.x, plot.pageY + at.y);
}

describe('inspecting the map', () => {
  it('the tooltip over a cell shows its exact count, bucket, share and keys', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=60-100');
    const t = 77;
    const bucket = facts
      .buckets()
      .filter((b) => facts.count(t, b) > 0)
      .sort((a, b) => facts.count(t, b) - facts.count(t, a))[2]!;
    await hoverCell(page, t, bucket.lo);
    const tip = page.getByTestId('tooltip');
    await tip.waitFor();
    const expected = facts.count(t, bucket);
    expect(Number(await tip.getAttribute('data-count'))).toBe(expected);
    expect([await tip.getAttribute('data-from'), await tip.getAttribute('data-to')]).toEqual([
      String(t),
      String(t + 1),
    ]);
    expect(await tip.getAttribute('data-bucket')).toBe(`${bucket.lo},${bucket.hi}`);
    expect(await page.getByTestId('tooltip-bucket').textContent()).toBe(
      formatBucketBounds(bucket.lo, bucket.hi, 'us'),
    );
    expect(await page.getByTestId('tooltip-count').textContent()).toBe(
      expected.toLocaleString('en-US'),
    );
    const text = await tip.textContent();
    expect(text).toContain('(+1m17s)');
    const perKey = facts
      .keys()
      .map((k) => ({ key: k.key, n: facts.count(t, bucket, k.key) }))
      .filter((k) => k.n > 0)
      .sort((a, b) => b.n - a.n);
    expect(text).toContain(perKey[0]!.key);
    await page.close();
  });

  it('isolating a key repaints the map with that key alone', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=60-100');
    const keys = facts.keys();
    // A cell where other keys have events and the isolated one has none: it must turn white.
    const t = 80;
    const key = keys[0]!;
    const bucket = facts
      .buckets()
      .find((b) => facts.count(t, b) > 0 && facts.count(t, b, key.key) === 0)!;
    const plot = await plotBox(page);
    const at = cellCentre(plot, await viewWindow(page), facts.buckets(), t, bucket);
    expect(await pixelAt(page, at.x, at.y)).not.toEqual(WHITE);
    const before = await canvasChecksum(page);
    await page
      .locator(`[data-testid=key-row][data-key-id="${key.id}"] [data-testid=key-only]`)
      .click();
    await settle(page);
    expect(await pixelAt(page, at.x, at.y)).toEqual(WHITE);
    expect(await canvasChecksum(page)).not.toBe(before);
    expect(new URL(page.url()).hash).toContain(`k=only:${key.id}`);
    await hoverCell(page, t, facts.buckets().find((b) => facts.count(t, b, key.key) > 0)!.lo);
    const own = facts.buckets().find((b) => facts.count(t, b, key.key) > 0)!;
    expect(Number(await page.getByTestId('tooltip').getAttribute('data-count'))).toBe(
      facts.count(t, own, key.key),
    );
    await page.getByTestId('keys-all').click();
    await settle(page);
    expect(await canvasChecksum(page)).toBe(before);
    await page.close();
  });

  it('excluding keys found by a search removes them', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db');
    await page.getByTestId('key-search').fill('write');
    expect(await page.getByTestId('key-row').count()).toBe(1);
    await page.getByTestId('keys-exclude-shown').click();
    const write = facts.keys().find((k) => k.key === 'write')!;
    await expect.poll(() => new URL(page.url()).hash).toContain(`k=except:${write.id}`);
    await page.close();
  });

  it('a dragged range gives the p99 and total computed from the file', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db');
    await page.getByTestId('drag-select').click();
    const plot = await plotBox(page);
    const y = plot.pageY + plot.top + plot.height / 2;
    await page.mouse.move(plot.pageX + plot.left + plot.width * 0.2, y);
    await page.mouse.down();
    await page.mouse.move(plot.pageX + plot.left + plot.width * 0.45, y, { steps: 5 });
    await page.mouse.up();
    const span = page.getByTestId('range-span');
    await span.waitFor();
    const from = Number(await span.getAttribute('data-from'));
    const to = Number(await span.getAttribute('data-to'));
    expect(from).toBe(Math.floor(300 * 0.2));
    expect(to).toBe(Math.ceil(300 * 0.45));
    for (const p of [50, 99] as const) {
      const { bucket, total } = facts.percentile(from, to, p);
      const cell = page.getByTestId(`range-p${p}`);
      expect(
        [await cell.getAttribute('data-lo'), await cell.getAttribute('data-hi')],
        `p${p}`,
      ).toEqual([String(bucket.lo), String(bucket.hi)]);
      expect(await cell.textContent(), `p${p} in units`).toBe(
        formatBucketBounds(bucket.lo, bucket.hi, 'us'),
      );
      expect(Number(await page.getByTestId('range-total').getAttribute('data-value'))).toBe(total);
    }
    expect(await page.getByTestId('range-keys').locator('tbody tr').count()).toBe(8);
    await page.close();
  });

  it('a box with a latency band sums only the buckets inside it', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db');
    await page.getByTestId('drag-band').click();
    const plot = await plotBox(page);
    const x0 = plot.pageX + plot.left + plot.width * 0.1;
    const x1 = plot.pageX + plot.left + plot.width * 0.3;
    await page.mouse.move(x0, plot.pageY + plot.top + 2);
    await page.mouse.down();
    await page.mouse.move(x1, plot.pageY + plot.top + plot.height * 0.5, { steps: 5 });
    await page.mouse.up();
    await page.getByTestId('range-span').waitFor();
    const from = Number(await page.getByTestId('range-span').getAttribute('data-from'));
    const to = Number(await page.getByTestId('range-span').getAttribute('data-to'));
    const all = facts.histogram(from, to).reduce((s, h) => s + h.n, 0);
    const banded = Number(await page.getByTestId('range-total').getAttribute('data-value'));
    // The band runs from the plot's top to its middle: every bucket whose cell reaches into it.
    const inBand = facts
      .histogram(from, to)
      .filter(({ b }) => bucketSpanY(plot, facts.buckets(), b).top < plot.top + plot.height * 0.5);
    expect(banded).toBe(inBand.reduce((s, h) => s + h.n, 0));
    expect(banded).toBeLessThan(all);
    await page.close();
  });
});
