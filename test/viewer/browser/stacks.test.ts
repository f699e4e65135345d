// Stacks in Chromium: a box drawn with the mouse over the slow band of a recording with stacks
// gives the flame graph of exactly the slow path's events (names and counts checked against the
// file with better-sqlite3), keyboard zoom and hover say the same, the folded export holds the
// file's stacks line by line; a time selection reports the events below the threshold; an
// isolated key gives its own stacks; a file without stacks says so; and Compare against a run
// with five times the slow path paints slow_path red (more in B) and fast_path blue.

import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { second, writeRecording } from '../../helpers/recordings.js';
import { newViewerPage, openByUrl, plotBox } from '../helpers/browser.js';
import { useViewerSession } from '../helpers/browser-hooks.js';
import { bucketSpanY, RecordingFacts } from '../helpers/expected.js';
import { twoPathSeconds, writeStackRecording } from '../helpers/stack-recordings.js';

const SECONDS = 600;
const ROW_PX = 17;

const session = useViewerSession('viewer-stacks-', (path) => {
  writeStackRecording(path('stacks.db'), twoPathSeconds(SECONDS), { stacksAbove: 4 });
  writeStackRecording(path('slower.db'), twoPathSeconds(SECONDS, 5), { stacksAbove: 4 });
  writeRecording(
    path('plain.db'),
    Array.from({ length: 60 }, (_, t) => second(t, { app: { 4: 10, 12: 1 } })),
  );
});

/** Folded lines of the file's stacks in seconds [from, to) with lo in [lo, hi] and these keys (stack_counts view). */
function fileFolded(
  name: string,
  from: number,
  to: number,
  lo = 0,
  hi = 2 ** 40,
  keys = ['app', 'other'],
): string[] {
  const db = new Database(session.path(name), { readonly: true });
  const rows = db
    .prepare(
      `SELECT frames, sum(n) AS n FROM stack_counts WHERE t >= ? AND t < ? AND lo >= ? AND hi <= ?
       AND key IN (${keys.map(() => '?').join(', ')}) GROUP BY frames`,
    )
    .all(from, to, lo, hi, ...keys) as { frames: string; n: number }[];
  db.close();
  // The export's one rewrite: a ";" inside a frame would split it, so it becomes ":".
  const folded = (frames: string) =>
    (JSON.parse(frames) as string[]).map((f) => f.replace(/;/g, ':')).join(';');
  return rows.map((r) => `${folded(r.frames)} ${r.n}`).sort();
}

/** Sum of the counts of folded lines. */
const total = (lines: string[]) => lines.reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);

/** Drags on the map from x0 to x1 (fractions of the plot's width) and y0 to y1 (CSS px in the plot). */
async function drag(page: Page, x0: number, x1: number, y0: number, y1: number): Promise<void> {
  const plot = await plotBox(page);
  const x = (f: number) => plot.pageX + plot.left + plot.width * f;
  await page.mouse.move(x(x0), plot.pageY + y0);
  await page.mouse.down();
  await page.mouse.move(x(x1), plot.pageY + y1, { steps: 6 });
  await page.mouse.up();
}

/** The range the panel says was selected. */
async function selected(page: Page): Promise<{ from: number; to: number }> {
  const span = page.getByTestId('range-span');
  await span.waitFor();
  return {
    from: Number(await span.getAttribute('data-from')),
    to: Number(await span.getAttribute('data-to')),
  };
}

async function ready(page: Page, testid = 'stacks-panel'): Promise<void> {
  await page.locator(`[data-testid=${testid}][data-status=ready]`).waitFor({ timeout: 30_000 });
}

/** [name, counts] of the widest frames listed under the graph. */
async function topFrames(page: Page, testid = 'flame'): Promise<[string, string][]> {
  return page
    .getByTestId(`${testid}-top`)
    .locator('li')
    .evaluateAll((lis) =>
      lis.map((li) => [li.getAttribute('data-name')!, li.getAttribute('data-counts')!]),
    );
}

async function exported(page: Page): Promise<string[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('stacks-export').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^stacks-stacks-\d+-\d+s\.folded$/);
  return readFileSync((await download.path())!, 'utf8')
    .split('\n')
    .filter(Boolean);
}

/** The canvas pixel at CSS (x, y) of a flame graph. */
async function flamePixel(
  page: Page,
  testid: string,
  x: number,
  y: number,
): Promise<[number, number, number, number]> {
  return page.evaluate(`(() => {
    const c = document.querySelector('[data-testid=${testid}-canvas]');
    const k = c.width / c.getBoundingClientRect().width;
    return [...c.getContext('2d').getImageData(Math.floor(${x} * k), Math.floor(${y} * k), 1, 1).data];
  })()`);
}

describe('the stacks of a box', () => {
  it('a box over the slow band: the slow path, counted as in the file; keys, hover and export agree', async () => {
    const { page, problems } = await newViewerPage(session);
    await openByUrl(page, session, 'stacks.db');
    await page.getByTestId('drag-band').click();
    const plot = await plotBox(page);
    const facts = new RecordingFacts(session.path('stacks.db'));
    const slow = bucketSpanY(
      plot,
      facts.buckets(),
      facts.buckets().find((b) => b.lo === 4096)!,
    );
    facts.close();
    await drag(page, 0.1, 0.55, plot.top + 2, (slow.top + slow.bottom) / 2);
    const { from, to } = await selected(page);
    await ready(page);
    const expected = fileFolded('stacks.db', from, to, 4096, 8191);
    expect(expected).toEqual([`main;run;slow_path;fsync;do_fsync_[k] ${total(expected)}`]);
    const n = total(expected);
    expect(Number(await page.getByTestId('stacks-total').getAttribute('data-value'))).toBe(n);
    expect(await topFrames(page)).toEqual([['main', String(n)]]);
    expect(await page.getByTestId('stacks-below').count()).toBe(0); // the band holds no event below the threshold

    // Keyboard: focus the graph, down to main, down to run, Enter zooms: its callees are listed.
    await page.getByRole('application').focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'Enter'])
      await page.keyboard.press(key);
    expect(await page.getByTestId('flame-focus').textContent()).toContain(
      `run: ${n.toLocaleString('en-US')} (100%)`,
    );
    expect(await topFrames(page)).toEqual([['slow_path', String(n)]]);
    await page.keyboard.press('Escape'); // out one level: zoomed into main
    expect(await topFrames(page)).toEqual([['run', String(n)]]);
    await page.keyboard.press('Escape');
    expect(await topFrames(page)).toEqual([['main', String(n)]]);
    expect(await page.getByTestId('range-span').count()).toBe(1); // Esc in the graph is the graph's, not the page's

    // Hover the deepest frame: its name, count and share of the box.
    const canvas = page.getByTestId('flame-canvas');
    await canvas.hover({ position: { x: 40, y: 5 * ROW_PX + 8 } });
    const tip = page.getByTestId('flame-tooltip');
    await tip.waitFor();
    expect(await tip.getAttribute('data-name')).toBe('do_fsync_[k]');
    expect(await tip.getAttribute('data-counts')).toBe(String(n));
    expect(await tip.textContent()).toContain('(100%)');

    expect(await exported(page)).toEqual(expected);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('a time selection: every stack, the events below the threshold, search and click to zoom', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'stacks.db');
    await page.getByTestId('drag-select').click();
    const plot = await plotBox(page);
    await drag(page, 0.3, 0.62, plot.top + plot.height / 2, plot.top + plot.height / 2);
    const { from, to } = await selected(page);
    await ready(page);
    const expected = fileFolded('stacks.db', from, to);
    expect(expected).toHaveLength(3);
    expect(await topFrames(page)).toEqual([['main', String(total(expected))]]);
    expect(Number(await page.getByTestId('stacks-below').getAttribute('data-value'))).toBe(
      5 * (to - from),
    );
    expect(await page.getByTestId('stacks-below').textContent()).toContain(
      'events below the stack threshold',
    );
    await page.getByTestId('flame-search').fill('fast_');
    const fast = total(expected.filter((l) => l.includes('fast_path')));
    expect(await page.getByTestId('flame-matched').getAttribute('data-matched')).toBe(String(fast));
    // Click main (row 1), then run (row 2, widest, laid out after "idle;loop"): zoomed into run.
    const canvas = page.getByTestId('flame-canvas');
    const width = (await canvas.boundingBox())!.width;
    await canvas.click({ position: { x: width - 5, y: 2 * ROW_PX + 8 } });
    expect((await topFrames(page)).map(([name]) => name)).toEqual(['fast_path', 'slow_path']);
    await page.getByTestId('flame-unzoom').click();
    expect(await exported(page)).toEqual(expected);
    await page.close();
  });

  it('an isolated key gives its own stacks only', async () => {
    const { page } = await newViewerPage(session);
    const db = new Database(session.path('stacks.db'), { readonly: true });
    const other = db.prepare("SELECT id FROM series WHERE key = 'other'").pluck().get() as number;
    db.close();
    await openByUrl(page, session, 'stacks.db', `k=only:${other}`);
    await page.getByTestId('drag-select').click();
    const plot = await plotBox(page);
    await drag(page, 0.05, 0.9, plot.top + 20, plot.top + 20);
    const { from, to } = await selected(page);
    await ready(page);
    expect(await exported(page)).toEqual(fileFolded('stacks.db', from, to, 0, 2 ** 40, ['other']));
    await page.close();
  });

  it('a recording without stacks says how to make one', async () => {
    const { page } = await newViewerPage(session);
    await openByUrl(page, session, 'plain.db');
    await page.getByTestId('drag-select').click();
    const plot = await plotBox(page);
    await drag(page, 0.2, 0.6, plot.top + 20, plot.top + 20);
    await page.getByTestId('stacks-none').waitFor();
    expect(await page.getByTestId('stacks-none').textContent()).toContain(
      'this recording has no stacks (record with --stacks)',
    );
    await page.close();
  });
});

describe('the same box in Compare', () => {
  it('B with five times the slow path: slow_path red, fast_path blue', async () => {
    const { page } = await newViewerPage(session, { height: 1600 });
    await openByUrl(page, session, 'stacks.db');
    await page.getByTestId('compare-start').click();
    await page.getByTestId('compare-file').setInputFiles(session.path('slower.db'));
    await expect.poll(() => page.getByTestId('compare-b').textContent()).toContain('slower.db');
    await page.getByTestId('drag-select').click();
    const plot = await plotBox(page);
    await drag(page, 0.2, 0.5, plot.top + 20, plot.top + 20);
    const { from, to } = await selected(page);
    await ready(page, 'compare-stacks');
    const a = fileFolded('stacks.db', from, to);
    const b = fileFolded('slower.db', from, to);
    const count = (lines: string[], frame: string) =>
      total(lines.filter((l) => l.split(/[; ]/).includes(frame)));
    await page.getByRole('application').nth(1).focus();
    for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'Enter'])
      await page.keyboard.press(key);
    const frames = await topFrames(page, 'diff-flame');
    expect(frames).toEqual([
      ['fast_path', `${count(a, 'fast_path')},${count(b, 'fast_path')}`],
      ['slow_path', `${count(a, 'slow_path')},${count(b, 'slow_path')}`],
    ]);
    const share = (lines: string[], frame: string) => count(lines, frame) / total(lines);
    expect(share(b, 'slow_path')).toBeGreaterThan(share(a, 'slow_path'));
    expect(share(b, 'fast_path')).toBeLessThan(share(a, 'fast_path'));
    // Zoomed into run: fast_path then slow_path on row 3, as wide as their mean shares.
    const canvas = page.getByTestId('diff-flame-canvas');
    const width = (await canvas.boundingBox())!.width;
    const mean = (frame: string) => (share(a, frame) + share(b, frame)) / 2;
    const fastW = mean('fast_path') / (mean('fast_path') + mean('slow_path'));
    const [fr, , fb] = await flamePixel(page, 'diff-flame', (fastW * width) / 2, 3 * ROW_PX + 3);
    const [sr, , sb] = await flamePixel(
      page,
      'diff-flame',
      ((1 + fastW) * width) / 2,
      3 * ROW_PX + 3,
    );
    expect(sr).toBeGreaterThan(sb + 60); // red: more of B's events
    expect(fb).toBeGreaterThan(fr + 60); // blue: less
    await page.close();
  });
});
