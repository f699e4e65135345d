// Stacks in the viewer for `npm run bench`: from releasing a box drawn with the mouse on the map
// to its flame graph painted, on a 1 h and a 24 h recording with stacks (the two-path
// workload: a slow and a fast path on one key, a third stack on another), opened by ?url= from
// a host answering range requests (the day read in parts: each box fetches its stack pages). Baseline, in the same
// page: sql.js stepping every row of the file's stack_hist (the plain way to get at the stacks).

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { packagePath } from '../../cli/package-root.js';
import { launchChromium } from '../helpers/chromium.js';
import { serveStatic } from '../viewer/helpers/static-server.js';
import { twoPathSeconds, writeStackRecording } from '../viewer/helpers/stack-recordings.js';
import { openInPartsFrom } from '../viewer/helpers/open-in-parts-from.js';
import type { BenchRow } from './bench-row.js';
import { fmt, median, p95 } from './bench-stats.js';

const RUNS = 7;
const VIEWPORT = { width: 1600, height: 1000 };
/** A box a fifth of the plot wide (12 min of the hour, 4.8 h of the day), from the top of the map to its middle. */
const BOX = { width: 0.2, top: 2, bottom: 0.5 };

interface Case {
  name: string;
  seconds: number;
  goalMs: number;
  /** Open it in parts whatever its size (as a day of many processes' stacks, past 32 MB, would be). */
  inParts: boolean;
}

const CASES: Case[] = [
  { name: 'hour.db', seconds: 3600, goalMs: 100, inParts: false },
  { name: 'day.db', seconds: 86_400, goalMs: 500, inParts: true },
];

export async function benchStacks(): Promise<BenchRow[]> {
  const dist = packagePath('dist/viewer');
  if (!existsSync(join(dist, 'index.html')))
    throw new Error('dist/viewer is missing: run npm run build:viewer first');
  const dir = mkdtempSync(join(tmpdir(), 'heat-stacks-bench-'));
  for (const c of CASES)
    writeStackRecording(join(dir, c.name), twoPathSeconds(c.seconds), { stacksAbove: 4 });
  const server = await serveStatic(dist, dir, { ranges: true });
  const browser = await launchChromium();
  try {
    const rows: BenchRow[] = [];
    for (const c of CASES) rows.push(await benchCase(browser, server.url, dir, c));
    return rows;
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchCase(browser: Browser, url: string, dir: string, c: Case): Promise<BenchRow> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  if (c.inParts) await openInPartsFrom(page, 0);
  await page.goto(`${url}/?url=rec/${c.name}`);
  await page.waitForSelector('[data-testid=keys]', { timeout: 120_000 });
  await page.getByTestId('drag-band').click();
  const canvas = page.getByTestId('heatmap');
  const box = (await canvas.boundingBox())!;
  const attr = async (n: string) => Number(await canvas.getAttribute(`data-plot-${n}`));
  const plot = { left: await attr('left'), top: await attr('top') };
  const [width, height] = [await attr('width'), await attr('height')];
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const x0 = box.x + plot.left + width * (0.05 + (i % 4) * 0.18);
    await page.mouse.move(x0, box.y + plot.top + BOX.top);
    await page.mouse.down();
    await page.mouse.move(x0 + width * BOX.width, box.y + plot.top + height * BOX.bottom, {
      steps: 4,
    });
    await page.mouse.up();
    await page.waitForFunction(
      (n) =>
        ((window as unknown as { __heatViewer?: { boxToFlameMs: number[] } }).__heatViewer
          ?.boxToFlameMs.length ?? 0) > n,
      i,
      { timeout: 60_000 },
    );
    times.push((await page.evaluate(`window.__heatViewer.boxToFlameMs[${i}]`)) as number);
  }
  const raw = (await page.evaluate(`(async () => {
    const bytes = new Uint8Array(await (await fetch('rec/${c.name}')).arrayBuffer());
    return window.__heatViewer.rawStackScan(bytes);
  })()`)) as { ms: number; rows: number };
  await page.close();
  const mb = statSync(join(dir, c.name)).size / 2 ** 20;
  return {
    name: `stacks: box release -> flame graph painted, ${c.seconds / 3600} h (${fmt(mb)} MB${c.inParts ? ', read in parts' : ''}; median, p95 ${fmt(p95(times))} ms)`,
    value: median(times),
    unit: 'ms',
    baseline: raw.ms,
    baselineName: `sql.js stepping all ${raw.rows} stack_hist rows`,
    target: `<= ${c.goalMs} ms`,
    met: median(times) <= c.goalMs,
  };
}
