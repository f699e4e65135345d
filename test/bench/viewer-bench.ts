// Viewer figures for `npm run bench`, measured in Chromium on the built viewer (dist/viewer):
// opening a 1-hour, 40-key synthetic recording until its map is painted (from the moment the
// bytes are in hand), beside a raw sql.js scan of the same file (open the bytes, step every
// row of SELECT * FROM hist) timed in the same page; and pan and zoom frames at 1920 px.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { packagePath } from '../../cli/package-root.js';
import { record } from '../../cli/record/recorder.js';
import { SyntheticTracer, syntheticScript } from '../../cli/tracers/synthetic.js';
import { serveStatic } from '../viewer/helpers/static-server.js';
import type { BenchRow } from './bench-row.js';
import { median, p95, fmt } from './bench-stats.js';
import { launchChromium } from '../helpers/chromium.js';

const RUNS = 5;
const FRAMES = 60;
/** Wide enough for a 1920 px plot beside the side panels. */
const VIEWPORT = { width: 2440, height: 1000 };

export async function benchViewer(): Promise<BenchRow[]> {
  const dist = packagePath('dist/viewer');
  if (!existsSync(join(dist, 'index.html')))
    throw new Error('dist/viewer is missing: run npm run build:viewer first');
  const dir = mkdtempSync(join(tmpdir(), 'heat-viewer-bench-'));
  const file = join(dir, 'hour.db');
  await recordHour(file);
  const server = await serveStatic(dist, dir);
  const browser = await launchChromium();
  try {
    const open = await measureOpen(browser, server.url, file);
    const frames = await measureFrames(browser, server.url);
    return [
      {
        name: 'viewer: open + first paint, 1 h x 40 keys (after the bytes are read)',
        value: median(open.paint),
        unit: 'ms',
        baseline: median(open.scan),
        baselineName: `raw sql.js scan of hist, ${open.rows} rows`,
        target: '<= 300 ms',
        met: median(open.paint) <= 300,
      },
      {
        name: 'viewer: the same from the file picked (reading it included)',
        value: median(open.picked),
        unit: 'ms',
        baseline: median(open.scan),
        baselineName: 'raw sql.js scan of hist',
      },
      {
        name: `viewer: pan frame at ${frames.width} px (median; p95 ${fmt(p95(frames.pan))} ms)`,
        value: median(frames.pan),
        unit: 'ms',
        target: '<= 16 ms',
        met: p95(frames.pan) <= 16,
      },
      {
        name: `viewer: zoom frame at ${frames.width} px (median; p95 ${fmt(p95(frames.zoom))} ms)`,
        value: median(frames.zoom),
        unit: 'ms',
        target: '<= 16 ms',
        met: p95(frames.zoom) <= 16,
      },
    ];
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The benchmark recording: what `heat-record --tracer synthetic --fast -d 1h --keys 40` writes. */
async function recordHour(path: string): Promise<void> {
  const options = { seed: 1, keys: 40, fast: true };
  await record({
    output: path,
    force: true,
    tracer: new SyntheticTracer(options),
    durationS: 3600,
    program: { preset: 'synthetic', unit: 'us', text: syntheticScript(options) },
    commandLine: ['bench'],
  });
}

/** Each run: a fresh page, the engine loaded, then the file through the file input. */
async function measureOpen(
  browser: Browser,
  url: string,
  file: string,
): Promise<{ paint: number[]; picked: number[]; scan: number[]; rows: number }> {
  const paint: number[] = [];
  const picked: number[] = [];
  const scan: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${url}/`);
    await page.evaluate('window.__heatViewer.ready()');
    await page.setInputFiles('[data-testid=file-input]', file);
    await page.waitForFunction(
      () =>
        ((window as unknown as { __heatViewer?: { openToPaintMs: number[] } }).__heatViewer
          ?.openToPaintMs.length ?? 0) > 0,
      undefined,
      { timeout: 60_000 },
    );
    paint.push((await page.evaluate('window.__heatViewer.bytesToPaintMs[0]')) as number);
    picked.push((await page.evaluate('window.__heatViewer.openToPaintMs[0]')) as number);
    const raw = (await page.evaluate(`(async () => {
      const bytes = new Uint8Array(await (await fetch('rec/${basename(file)}')).arrayBuffer());
      return window.__heatViewer.rawScan(bytes);
    })()`)) as { ms: number; rows: number };
    scan.push(raw.ms);
    rows = raw.rows;
    await page.close();
  }
  return { paint, picked, scan, rows };
}

/**
 * Draw times of pans and zooms, each frame drawn synchronously after the move, after a few
 * unmeasured frames (the steady state, not the clean-up after opening a file).
 */
async function measureFrames(
  browser: Browser,
  url: string,
): Promise<{ pan: number[]; zoom: number[]; width: number }> {
  const page: Page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(`${url}/?url=rec/hour.db`);
  await page.waitForSelector('[data-testid=keys]', { timeout: 60_000 });
  const width = Number(await page.getByTestId('heatmap').getAttribute('data-plot-width'));
  const result = (await page.evaluate(`(() => {
    const h = window.__heatViewer;
    const zoom = [], pan = [];
    for (let i = 0; i < 10; i++) { h.zoom(0.9); h.drawNow(); h.zoom(1 / 0.9); h.drawNow(); }
    for (let i = 0; i < ${FRAMES / 2}; i++) { h.zoom(0.92); zoom.push(h.drawNow()); }
    for (let i = 0; i < ${FRAMES / 2}; i++) { h.zoom(1 / 0.92); zoom.push(h.drawNow()); }
    h.zoom(0.25);
    for (let i = 0; i < ${FRAMES}; i++) { h.pan(i < ${FRAMES / 2} ? 0.02 : -0.02); pan.push(h.drawNow()); }
    return { zoom, pan };
  })()`)) as { pan: number[]; zoom: number[] };
  await page.close();
  return { ...result, width };
}
