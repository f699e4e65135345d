// Long recordings in the viewer, for `npm run bench`: a 1-hour and a 24-hour synthetic recording
// (40 keys, what `heat-record --tracer synthetic --fast` writes), each opened as recorded (with
// rollups; the 24-hour one is then read in parts) and with its rollup tables emptied (the viewer
// then reads it whole and builds them once, in memory); the 24-hour one also read whole with its
// rollups, to show what reading in parts gains.
// Per case, in a fresh Chromium: open + first paint (from the file picked: reading included),
// frame times while panning at three zooms (every frame in its own animation frame, so
// background reads run in between as they would for a person), and memory: the page's own (JS
// heap and ArrayBuffers: the file or its parts, the WASM memory) and the tab's resident size.

import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { packagePath } from '../../cli/package-root.js';
import { record } from '../../cli/record/recorder.js';
import { SyntheticTracer, syntheticScript } from '../../cli/tracers/synthetic.js';
import { serveStatic, type StaticServer } from '../viewer/helpers/static-server.js';
import type { BenchRow } from './bench-row.js';
import { median, p95, fmt } from './bench-stats.js';
import { launchChromium } from '../helpers/chromium.js';

const VIEWPORT = { width: 2440, height: 1000 };
const FRAMES = 40;
const MB = 1e6;

export interface Measured {
  paintMs: number;
  /** Pan frames (ms) at the whole range, a 1-hour window and a 5-minute window. */
  frames: number[];
  /** Time between those frames (ms): anything else the page did between them (reads of detail in the background) shows here. */
  gaps: number[];
  residentMb: number;
  /** The tab before the file was opened (viewer loaded, engine ready). */
  emptyMb: number;
  /** The page's own memory: JS heap used plus ArrayBuffer backing stores (sql.js's copy of the file, WASM memory). */
  pageMb: number;
  heapMb: number;
}

export async function benchScale(): Promise<BenchRow[]> {
  const dist = packagePath('dist/viewer');
  if (!existsSync(join(dist, 'index.html')))
    throw new Error('dist/viewer is missing: run npm run build:viewer first');
  const dir = mkdtempSync(join(tmpdir(), 'heat-scale-bench-'));
  const server = await serveStatic(dist, dir);
  const rows: BenchRow[] = [];
  try {
    for (const [label, seconds] of [
      ['1 h', 3600],
      ['24 h', 86_400],
    ] as const) {
      const withRollups = join(dir, `${seconds}.db`);
      await recordSynthetic(withRollups, seconds);
      const without = join(dir, `${seconds}-no-rollups.db`);
      emptyRollups(withRollups, without);
      const a = await measure(server, withRollups);
      const b = await measure(server, without);
      const what = `${label} x 40 keys (${(statSync(withRollups).size / MB).toFixed(0)} MB)`;
      rows.push(...compare(what, a, b, seconds === 86_400));
      if (seconds === 86_400)
        rows.push(...compareReading(what, a, await measure(server, withRollups, { whole: true })));
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function compare(what: string, a: Measured, b: Measured, targets: boolean): BenchRow[] {
  const t = (target: string, met: boolean) => (targets ? { target, met } : {});
  return [
    {
      name: `${what}: open + first paint`,
      value: a.paintMs,
      unit: 'ms',
      baseline: b.paintMs,
      baselineName: 'rollups built at open',
      ...t('<= 1000 ms', a.paintMs <= 1000),
    },
    {
      name: `${what}: pan frame p95 (median ${fmt(median(a.frames))} ms)`,
      value: p95(a.frames),
      unit: 'ms',
      baseline: p95(b.frames),
      baselineName: 'built rollups',
      ...t('<= 16 ms', p95(a.frames) <= 16),
    },
    {
      name: `${what}: time between pan frames, p95 (longest ${fmt(Math.max(...a.gaps))} ms; background reads included)`,
      value: p95(a.gaps),
      unit: 'ms',
      baseline: p95(b.gaps),
      baselineName: 'built rollups',
    },
    {
      name: `${what}: page memory (JS heap ${fmt(a.heapMb)} MB + buffers: the file or its parts, WASM)`,
      value: a.pageMb,
      unit: 'MB',
      baseline: b.pageMb,
      baselineName: 'built rollups',
      ...t('<= 500 MB', a.pageMb <= 500),
    },
    {
      name: `${what}: tab resident memory (${fmt(a.emptyMb)} MB before opening)`,
      value: a.residentMb,
      unit: 'MB',
      baseline: b.residentMb,
      baselineName: 'built rollups',
      ...t('<= 500 MB', a.residentMb <= 500),
    },
  ];
}

/** The same file with its rollups, read in parts (a) and read whole (b). */
function compareReading(what: string, a: Measured, b: Measured): BenchRow[] {
  return [
    {
      name: `${what}: open + first paint, read in parts`,
      value: a.paintMs,
      unit: 'ms',
      baseline: b.paintMs,
      baselineName: 'read whole',
    },
    {
      name: `${what}: page memory, read in parts`,
      value: a.pageMb,
      unit: 'MB',
      baseline: b.pageMb,
      baselineName: 'read whole',
    },
    {
      name: `${what}: tab resident memory, read in parts`,
      value: a.residentMb,
      unit: 'MB',
      baseline: b.residentMb,
      baselineName: 'read whole',
    },
  ];
}

/** What `heat-record --tracer synthetic --fast -d <seconds> --keys 40` writes. */
async function recordSynthetic(path: string, seconds: number): Promise<void> {
  const options = { seed: 1, keys: 40, fast: true };
  await record({
    output: path,
    force: true,
    tracer: new SyntheticTracer(options),
    durationS: seconds,
    program: { preset: 'synthetic', unit: 'us', text: syntheticScript(options) },
    commandLine: ['bench'],
  });
}

/** A copy with no rollup rows and no rollup_state, as an older recorder wrote them. */
function emptyRollups(from: string, to: string): void {
  copyFileSync(from, to);
  const db = new Database(to);
  db.exec('DELETE FROM rollup; DELETE FROM rollup_state; VACUUM;');
  db.close();
}

/** Opens `file` (served by `server`) in a fresh Chromium and measures it; `whole`: never in parts. */
export async function measure(
  server: StaticServer,
  file: string,
  o: { whole?: boolean } = {},
): Promise<Measured> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.goto(`${server.url}/`);
    await page.evaluate('window.__heatViewer.ready()');
    if (o.whole) await page.evaluate('window.__heatViewer.openInPartsFrom(Infinity)');
    const emptyMb = (await memory(browser, page)).residentMb;
    await page.setInputFiles('[data-testid=file-input]', file);
    await page.waitForFunction(
      () =>
        ((window as unknown as { __heatViewer?: { openToPaintMs: number[] } }).__heatViewer
          ?.openToPaintMs.length ?? 0) > 0,
      undefined,
      { timeout: 600_000 },
    );
    await page.waitForSelector('[data-testid=keys]');
    const paintMs = (await page.evaluate('window.__heatViewer.openToPaintMs[0]')) as number;
    const pans = [
      await panFrames(page, null),
      await panFrames(page, 3600),
      await panFrames(page, 300),
    ];
    return {
      paintMs,
      frames: pans.flatMap((p) => p.draw),
      gaps: pans.flatMap((p) => p.gaps),
      emptyMb,
      ...(await memory(browser, page)),
    };
  } finally {
    await browser.close();
  }
}

/**
 * Zooms to a window of `seconds` in the middle (null: the whole recording), then pans right and
 * back, one step per animation frame: first drawing each frame at once to time the draw, then
 * leaving the drawing to the page (as a person's pans do) to time the frames themselves.
 */
async function panFrames(
  page: Page,
  seconds: number | null,
): Promise<{ draw: number[]; gaps: number[] }> {
  return (await page.evaluate(`(async () => {
    const h = window.__heatViewer;
    const v = h.view();
    const span = Math.min(${seconds ?? 'Infinity'}, v.recordingEnd - v.t0);
    const mid = (v.t0 + v.recordingEnd) / 2;
    h.zoom(span / (v.end - v.start), 0.5);
    const w = h.view();
    h.pan((mid - (w.start + w.end) / 2) / (w.end - w.start));
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    for (let i = 0; i < 5; i++) { await frame(); h.drawNow(); }
    const draw = [], gaps = [];
    for (let i = 0; i < ${FRAMES}; i++) {
      await frame();
      h.pan(i < ${FRAMES / 2} ? 0.03 : -0.03);
      draw.push(h.drawNow());
    }
    let last = performance.now();
    for (let i = 0; i < ${FRAMES}; i++) {
      await frame();
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      h.pan(i < ${FRAMES / 2} ? 0.03 : -0.03);
    }
    return { draw, gaps };
  })()`)) as { draw: number[]; gaps: number[] };
}

/** Resident size of the tab's renderer process (from /proc) and its JS heap (CDP). */
export async function memory(
  browser: Browser,
  page: Page,
): Promise<{ residentMb: number; heapMb: number; pageMb: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as {
    usedSize: number;
    backingStorageSize?: number;
  };
  const heap = usage.usedSize;
  const info = await (await browser.newBrowserCDPSession()).send('SystemInfo.getProcessInfo');
  const renderers = info.processInfo
    .filter((p) => p.type === 'renderer')
    .map((p) => residentBytes(p.id));
  return {
    residentMb: Math.max(...renderers) / MB,
    heapMb: heap / MB,
    pageMb: (heap + (usage.backingStorageSize ?? NaN)) / MB,
  };
}

function residentBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
