// A week-long recording (7 days x 40 keys, what `heat-record --tracer synthetic --fast -d 7d
// --keys 40` writes: ~2 GB) opened by ?url= from a plain static host (byte ranges, no ETag nor
// Last-Modified, no heat-view), read in parts, beside the same URL from the same server read
// whole. Per case, in a fresh Chromium: time from opening the URL to the first frame painted
// whole, requests and bytes read, and the tab's memory (resident size of its renderer, and the
// page's own: JS heap and buffers).
// Recording the week takes minutes (18 min 45 s on a busy 2-core machine): HEAT_BENCH_WEEK=<file>
// uses a copy made before.

import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { packagePath } from '../../cli/package-root.js';
import { record } from '../../cli/record/recorder.js';
import { SyntheticTracer, syntheticScript } from '../../cli/tracers/synthetic.js';
import { openInPartsFrom } from '../viewer/helpers/open-in-parts-from.js';
import { serveStatic, type StaticServer } from '../viewer/helpers/static-server.js';
import type { BenchRow } from './bench-row.js';
import { memory } from './scale-bench.js';
import { launchChromium } from '../helpers/chromium.js';

const VIEWPORT = { width: 2440, height: 1000 };
const WEEK_S = 7 * 86_400;
const MB = 1e6;
/** How long reading the week whole may take before it counts as failed. */
const WHOLE_TIMEOUT_MS = 180_000;

interface Opened {
  /** ms from opening the URL to the first frame painted whole; NaN when it never painted. */
  paintMs: number;
  residentMb: number;
  pageMb: number;
  requests: number;
  readMb: number;
  /** Why it never painted, when it did not. */
  failure?: string;
}

export async function benchStaticHost(): Promise<BenchRow[]> {
  const dist = packagePath('dist/viewer');
  if (!existsSync(join(dist, 'index.html')))
    throw new Error('dist/viewer is missing: run npm run build:viewer first');
  const dir = mkdtempSync(join(tmpdir(), 'heat-static-host-bench-'));
  const file = join(dir, 'week.db');
  // The plainest host the viewer reads in parts (issue 13): a validator changes no read, only headers.
  const server = await serveStatic(dist, dir, { ranges: true, validator: 'none' });
  try {
    if (process.env.HEAT_BENCH_WEEK) symlinkSync(resolve(process.env.HEAT_BENCH_WEEK), file);
    else await recordWeek(file);
    const parts = await openUrl(server, false);
    const whole = await openUrl(server, true);
    return rows(
      `7 d x 40 keys (${(statSync(file).size / MB).toFixed(0)} MB) from a static host`,
      parts,
      whole,
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rows(what: string, parts: Opened, whole: Opened): BenchRow[] {
  const wholeName = whole.failure ? `read whole: ${whole.failure}` : 'read whole';
  return [
    {
      name: `${what}: open + first paint, read in parts (${parts.requests} requests, ${parts.readMb.toFixed(1)} MB)`,
      value: parts.paintMs,
      unit: 'ms',
      baseline: whole.paintMs,
      baselineName: wholeName,
      target: '<= 1000 ms',
      met: parts.paintMs <= 1000,
    },
    {
      name: `${what}: tab resident memory, read in parts (page's own ${parts.pageMb.toFixed(0)} MB)`,
      value: parts.residentMb,
      unit: 'MB',
      baseline: whole.residentMb,
      baselineName: wholeName,
      target: '<= 300 MB',
      met: parts.residentMb <= 300,
    },
  ];
}

/** Opens rec/week.db by ?url= in a fresh Chromium; `whole`: never in parts. */
async function openUrl(server: StaticServer, whole: boolean): Promise<Opened> {
  const browser = await launchChromium();
  const before = server.requests.length;
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    if (whole) await openInPartsFrom(page, Infinity);
    await page.goto(`${server.url}/?url=rec/week.db`);
    const failure = await painted(page, whole ? WHOLE_TIMEOUT_MS : 60_000);
    const paintMs = failure
      ? NaN
      : ((await page.evaluate('window.__heatViewer.openToPaintMs[0]')) as number);
    const reads = server.requests.slice(before).filter((r) => r.path === '/rec/week.db');
    const readMb = reads.reduce((n, r) => n + r.bytes, 0) / MB;
    return {
      paintMs,
      requests: reads.length,
      readMb,
      failure,
      ...(await memory(browser, page).catch(() => ({ residentMb: NaN, pageMb: NaN }))),
    };
  } finally {
    await browser.close();
  }
}

/** Waits for the first paint; returns why it never came (an error banner, a crash, the timeout), if it did not. */
async function painted(page: Page, timeout: number): Promise<string | undefined> {
  let crashed = false;
  page.on('crash', () => (crashed = true));
  for (
    const end = Date.now() + timeout;
    Date.now() < end;
    await new Promise((r) => setTimeout(r, 250))
  ) {
    if (crashed) return 'the tab crashed';
    const state = (await page
      .evaluate(
        `[window.__heatViewer?.openToPaintMs.length ?? 0, document.querySelector('[data-testid=error-banner]')?.textContent ?? null]`,
      )
      .catch(() => [0, null])) as [number, string | null];
    if (state[0] > 0) return undefined;
    if (state[1] !== null) return `failed (${state[1].trim().slice(0, 80)})`;
  }
  return `no paint within ${timeout / 1000} s`;
}

async function recordWeek(path: string): Promise<void> {
  const options = { seed: 1, keys: 40, fast: true };
  await record({
    output: path,
    force: true,
    tracer: new SyntheticTracer(options),
    durationS: WEEK_S,
    program: { preset: 'synthetic', unit: 'us', text: syntheticScript(options) },
    commandLine: ['bench'],
  });
}
