// A recording made by heat-record --tracer synthetic, opened in Chromium through ?url= and
// through the file input: the map is painted where the data is and nowhere else, sharp on a
// HiDPI screen, with the recording's details, and without a single error or CSP refusal.

import { afterAll, describe, expect, it } from 'vitest';
import {
  newViewerPage,
  openByUrl,
  pixelAt,
  plotBox,
  viewWindow,
  waitForPaint,
} from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { cellCentre, RecordingFacts, type Bucket } from '../helpers/expected.js';
import { recordSynthetic } from '../helpers/recordings.js';

const WHITE: [number, number, number] = [255, 255, 255];
let facts: RecordingFacts;

const session = useViewerSession('viewer-open-', async (path) => {
  await recordSynthetic(path('run.db'), { seconds: 600, keys: 8, seed: 1 });
  facts = new RecordingFacts(path('run.db'));
});

afterAll(() => {
  facts?.close();
});

/** Cells of second t: one with events, one (inside the axis) without. */
function cellsOf(t: number): { full: Bucket; empty: Bucket } {
  const buckets = facts.buckets();
  const full = buckets.find((b) => facts.count(t, b) > 10)!;
  const empty = buckets.find((b) => facts.count(t, b) === 0 && b.lo > 1000)!;
  expect(full && empty).toBeTruthy();
  return { full, empty };
}

describe('opening a recording', () => {
  it('through ?url= paints events where they are and background where there are none', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'run.db', 't=100-140');
    expect(await viewWindow(page)).toEqual({ start: 100, end: 140 });
    const plot = await plotBox(page);
    const buckets = facts.buckets();
    for (const t of [105, 120, 133]) {
      const { full, empty } = cellsOf(t);
      const a = cellCentre(plot, { start: 100, end: 140 }, buckets, t, full);
      const b = cellCentre(plot, { start: 100, end: 140 }, buckets, t, empty);
      expect(await pixelAt(page, a.x, a.y), `second ${t} [${full.lo}, ${full.hi}]`).not.toEqual(
        WHITE,
      );
      expect(await pixelAt(page, b.x, b.y), `second ${t} [${empty.lo}, ${empty.hi}]`).toEqual(
        WHITE,
      );
    }
    await expect.poll(() => page.getByTestId('file-name').textContent()).toBe('run.db');
    expect(problems).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });

  it('through the file input, with the whole recording in view and its details listed', async () => {
    const { page, problems } = await newViewerPage(session);
    await page.goto(await session.home());
    await page.getByTestId('file-input').setInputFiles(session.path('run.db'));
    await waitForPaint(page);
    expect(await viewWindow(page)).toEqual({ start: 0, end: 600 });
    const plot = await plotBox(page);
    const { full } = cellsOf(300);
    const at = cellCentre(plot, { start: 0, end: 600 }, facts.buckets(), 300, full);
    expect(await pixelAt(page, at.x, at.y)).not.toEqual(WHITE);
    await expect
      .poll(() => page.getByTestId('detail-tracer').textContent())
      .toBe('synthetic synthetic-1');
    expect(await page.getByTestId('detail-duration').textContent()).toMatch(
      /^10m · 600 s recorded$/,
    );
    expect(await page.getByTestId('detail-unit').textContent()).toBe('µs');
    expect(await page.getByTestId('script').textContent()).toContain('seed=1 keys=8');
    expect(await page.getByTestId('key-row').count()).toBe(8);
    expect(problems).toEqual({ errors: [], dialogs: [] });
    await page.close();
  });

  it('sizes the canvas in device pixels on a HiDPI screen', async () => {
    const { page } = await newViewerPage(session, { dpr: 2 });
    await openByUrl(page, session, 'run.db');
    const size = (await page.evaluate(
      `(() => { const c = document.querySelector('[data-testid=heatmap]'); return [c.width, c.height, c.getBoundingClientRect().width, c.getBoundingClientRect().height]; })()`,
    )) as number[];
    expect(size[0]).toBe(Math.round(size[2]! * 2));
    expect(size[1]).toBe(Math.round(size[3]! * 2));
    const plot = await plotBox(page);
    const { full } = cellsOf(300);
    const at = cellCentre(plot, { start: 0, end: 600 }, facts.buckets(), 300, full);
    expect(await pixelAt(page, at.x, at.y)).not.toEqual(WHITE);
    await page.close();
  });
});
